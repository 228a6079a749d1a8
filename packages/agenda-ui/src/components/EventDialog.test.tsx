// @vitest-environment jsdom
import { cleanup, fireEvent, render, screen, waitFor } from "@testing-library/react";
import { StrictMode } from "react";
import { afterEach, describe, expect, it, vi } from "vitest";
import { AgendaProvider } from "../AgendaProvider";
import { EventDialog } from "./EventDialog";

afterEach(cleanup);

// jsdom has no showModal(): these tests go through the dialog's fallback (the open attribute, Escape
// heard on keydown). The Chromium tests in test/ go through showModal().

describe("EventDialog", () => {
  it("opens from its Trigger with focus on the first field, and closes from Close with focus back", async () => {
    render(
      <AgendaProvider baseUrl="/api/agenda">
        <EventDialog.Root>
          <EventDialog.Trigger>Open</EventDialog.Trigger>
          <EventDialog.Content>
            <EventDialog.Title>Call notes</EventDialog.Title>
            <input aria-label="Subject" defaultValue="Renewal" />
          </EventDialog.Content>
        </EventDialog.Root>
      </AgendaProvider>,
    );
    const trigger = screen.getByRole("button", { name: "Open" });
    expect(trigger.getAttribute("aria-expanded")).toBe("false");
    trigger.focus();
    fireEvent.click(trigger);

    const dialog = screen.getByRole("dialog", { name: "Call notes" });
    expect(dialog.tagName).toBe("DIALOG");
    expect(dialog.hasAttribute("open")).toBe(true);
    expect(dialog.className).toBe("agenda-dialog");
    expect(document.activeElement).toBe(screen.getByLabelText("Subject"));
    expect(trigger.getAttribute("aria-expanded")).toBe("true");

    fireEvent.click(screen.getByRole("button", { name: "Fermer" }));
    expect(screen.queryByRole("dialog")).toBeNull();
    expect(document.activeElement).toBe(trigger);
  });

  it("is described by its Description only while one is rendered", () => {
    const { rerender } = render(
      <EventDialog.Root open>
        <EventDialog.Content showCloseButton={false}>
          <EventDialog.Title>Call notes</EventDialog.Title>
          <EventDialog.Description>What was said.</EventDialog.Description>
        </EventDialog.Content>
      </EventDialog.Root>,
    );
    const description = screen.getByText("What was said.");
    expect(screen.getByRole("dialog").getAttribute("aria-describedby")).toBe(description.id);

    rerender(
      <EventDialog.Root open>
        <EventDialog.Content showCloseButton={false}>
          <EventDialog.Title>Call notes</EventDialog.Title>
        </EventDialog.Content>
      </EventDialog.Root>,
    );
    expect(screen.getByRole("dialog").hasAttribute("aria-describedby")).toBe(false);
  });

  it("asks to close on Escape, unless a listener inside prevented it, and stays open while controlled", () => {
    const onOpenChange = vi.fn();
    render(
      <EventDialog.Root open onOpenChange={onOpenChange}>
        <EventDialog.Content showCloseButton={false}>
          <EventDialog.Title>Call notes</EventDialog.Title>
          <input aria-label="Search" onKeyDown={(keyEvent) => keyEvent.preventDefault()} />
        </EventDialog.Content>
      </EventDialog.Root>,
    );
    fireEvent.keyDown(screen.getByLabelText("Search"), { key: "Escape" });
    expect(onOpenChange).not.toHaveBeenCalled();

    fireEvent.keyDown(screen.getByRole("dialog"), { key: "Escape" });
    expect(onOpenChange).toHaveBeenCalledExactlyOnceWith(false);
    expect(screen.getByRole("dialog")).toBeTruthy();
  });

  it("opens and closes under strict mode, whose effects run twice", async () => {
    render(
      <StrictMode>
        <EventDialog.Root defaultOpen>
          <EventDialog.Content showCloseButton={false}>
            <EventDialog.Title>Call notes</EventDialog.Title>
            <button type="button">Save</button>
          </EventDialog.Content>
        </EventDialog.Root>
      </StrictMode>,
    );
    const dialog = screen.getByRole("dialog", { name: "Call notes" });
    expect(dialog.hasAttribute("open")).toBe(true);
    expect(document.activeElement).toBe(screen.getByRole("button", { name: "Save" }));
    fireEvent.keyDown(dialog, { key: "Escape" });
    await waitFor(() => expect(screen.queryByRole("dialog")).toBeNull());
  });

  it("renders into the container it is given", () => {
    const container = document.createElement("div");
    document.body.append(container);
    render(
      <EventDialog.Root open>
        <EventDialog.Content container={container} showCloseButton={false} className="wide">
          <EventDialog.Title>Call notes</EventDialog.Title>
        </EventDialog.Content>
      </EventDialog.Root>,
    );
    expect(container.querySelector("dialog.agenda-dialog.wide")).toBe(screen.getByRole("dialog"));
    container.remove();
  });
});
