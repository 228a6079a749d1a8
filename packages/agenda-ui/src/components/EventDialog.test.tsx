// @vitest-environment jsdom
import { cleanup, fireEvent, render, screen, waitFor } from "@testing-library/react";
import { StrictMode } from "react";
import { afterEach, describe, expect, it, vi } from "vitest";
import { AgendaProvider } from "../AgendaProvider";
import { EventDialog } from "./EventDialog";

afterEach(cleanup);

// The Chromium tests in test/ check the rest: the scroll lock, a click outside, layering with a host's
// own Radix dialog.

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
    expect(dialog.getAttribute("data-state")).toBe("open");
    expect(dialog.className).toBe("agenda-dialog");
    // Modal: the rest of the page is hidden from screen readers.
    expect(trigger.closest('[aria-hidden="true"]')).not.toBeNull();
    expect(document.activeElement).toBe(screen.getByLabelText("Subject"));
    expect(trigger.getAttribute("aria-expanded")).toBe("true");

    fireEvent.click(screen.getByRole("button", { name: "Fermer" }));
    expect(screen.queryByRole("dialog")).toBeNull();
    await waitFor(() => expect(document.activeElement).toBe(trigger));
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

  it("asks to close on Escape, unless a listener before it prevented it, and stays open while controlled", () => {
    const onOpenChange = vi.fn();
    render(
      <EventDialog.Root open onOpenChange={onOpenChange}>
        <EventDialog.Content showCloseButton={false}>
          <EventDialog.Title>Call notes</EventDialog.Title>
          <input aria-label="Search" />
        </EventDialog.Content>
      </EventDialog.Root>,
    );
    // As the client search does: the window hears the key before Radix's listener on the document.
    const search = screen.getByLabelText("Search");
    const keepOpen = (keyEvent: KeyboardEvent) => {
      if (keyEvent.target === search) keyEvent.preventDefault();
    };
    window.addEventListener("keydown", keepOpen, { capture: true });
    fireEvent.keyDown(search, { key: "Escape" });
    window.removeEventListener("keydown", keepOpen, { capture: true });
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
    expect(dialog.getAttribute("data-state")).toBe("open");
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
    expect(container.querySelector(".agenda-dialog.wide")).toBe(screen.getByRole("dialog"));
    container.remove();
  });
});
