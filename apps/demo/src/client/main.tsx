import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { StrictMode } from "react";
import { createRoot } from "react-dom/client";
import "@crm-agenda/ui/styles.css";
import "./shell.css";
import { CrmShell } from "./CrmShell";

// The host CRM's own QueryClient; the agenda uses it instead of creating one.
const queryClient = new QueryClient();

createRoot(document.getElementById("root")!).render(
  <StrictMode>
    <QueryClientProvider client={queryClient}>
      <CrmShell queryClient={queryClient} />
    </QueryClientProvider>
  </StrictMode>,
);
