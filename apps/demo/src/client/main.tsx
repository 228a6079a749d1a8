import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { StrictMode } from "react";
import { createRoot } from "react-dom/client";
import "@crm-agenda/ui/styles.css";
import "./shell.css";
import { CrmShell } from "./CrmShell";
import { publicBookingPageOf } from "./PublicBookingPages";

// The host CRM's own QueryClient; the agenda uses it instead of creating one.
const queryClient = new QueryClient();

// A booking link's page is public: shown to anyone, signed in or not, without the CRM around it.
const publicPage = publicBookingPageOf(window.location.pathname);

createRoot(document.getElementById("root")!).render(
  <StrictMode>
    {publicPage ?? (
      <QueryClientProvider client={queryClient}>
        <CrmShell queryClient={queryClient} />
      </QueryClientProvider>
    )}
  </StrictMode>,
);
