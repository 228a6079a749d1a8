import {
  type ComponentPropsWithoutRef,
  createContext,
  type Dispatch,
  forwardRef,
  type ReactNode,
  type SetStateAction,
  useContext,
  useId,
  useImperativeHandle,
  useLayoutEffect,
  useRef,
  useState,
} from "react";
import { createPortal } from "react-dom";
import { useControllableState } from "../_internal/useControllableState";
import { useAgendaMessages } from "../AgendaProvider";

interface DialogState {
  open: boolean;
  setOpen: (open: boolean) => void;
  titleId: string;
  descriptionId: string;
  titles: number;
  descriptions: number;
  setTitles: Dispatch<SetStateAction<number>>;
  setDescriptions: Dispatch<SetStateAction<number>>;
}

const DialogContext = createContext<DialogState | null>(null);

function useDialog(part: string): DialogState {
  const dialog = useContext(DialogContext);
  if (dialog === null) throw new Error(`EventDialog.${part} must be inside EventDialog.Root`);
  return dialog;
}

/** Counts a mounted Title or Description, so Content points at it only while it is there. */
function useMountedPart(setCount: Dispatch<SetStateAction<number>>) {
  useLayoutEffect(() => {
    setCount((count) => count + 1);
    return () => setCount((count) => count - 1);
  }, [setCount]);
}

/** Props of {@link EventDialog.Root}. */
export interface EventDialogRootProps {
  /** Whether the dialog is open, when the parent controls it (with `onOpenChange`). */
  open?: boolean;
  /**
   * Whether the dialog is open at first, when it keeps its state itself.
   * @default false
   */
  defaultOpen?: boolean;
  /** Called when the dialog asks to open or close: Trigger, Close, Escape, a click on the backdrop. */
  onOpenChange?: (open: boolean) => void;
  /** The Trigger and the Content. */
  children?: ReactNode;
}

function Root({ open, defaultOpen = false, onOpenChange, children }: EventDialogRootProps) {
  const [shown, setOpen] = useControllableState({
    prop: open,
    defaultProp: defaultOpen,
    onChange: onOpenChange,
  });
  const id = useId();
  const [titles, setTitles] = useState(0);
  const [descriptions, setDescriptions] = useState(0);
  return (
    <DialogContext.Provider
      value={{
        open: shown,
        setOpen,
        titleId: `${id}-title`,
        descriptionId: `${id}-description`,
        titles,
        descriptions,
        setTitles,
        setDescriptions,
      }}
    >
      {children}
    </DialogContext.Provider>
  );
}

/** A button that opens the dialog. */
const Trigger = forwardRef<HTMLButtonElement, ComponentPropsWithoutRef<"button">>(function EventDialogTrigger(
  { onClick, ...props },
  forwardedRef,
) {
  const { open, setOpen } = useDialog("Trigger");
  return (
    <button
      ref={forwardedRef}
      type="button"
      aria-haspopup="dialog"
      aria-expanded={open}
      onClick={(event) => {
        onClick?.(event);
        if (!event.defaultPrevented) setOpen(true);
      }}
      {...props}
    />
  );
});

/** A button that closes the dialog. */
const Close = forwardRef<HTMLButtonElement, ComponentPropsWithoutRef<"button">>(function EventDialogClose(
  { onClick, ...props },
  forwardedRef,
) {
  const { setOpen } = useDialog("Close");
  return (
    <button
      ref={forwardedRef}
      type="button"
      onClick={(event) => {
        onClick?.(event);
        if (!event.defaultPrevented) setOpen(false);
      }}
      {...props}
    />
  );
});

/** Props of {@link EventDialog.Content}: those of `<dialog>` but `open`, which the Root holds. */
export interface EventDialogContentProps extends Omit<ComponentPropsWithoutRef<"dialog">, "open"> {
  /**
   * The element the dialog renders into, through a portal.
   * @default where Content is, so that it inherits the agenda's `--agenda-*` variables and `data-theme`
   */
  container?: HTMLElement | null;
  /**
   * Whether to show the close button in the corner.
   * @default true
   */
  showCloseButton?: boolean;
  /** The dialog's title and body. */
  children?: ReactNode;
}

// What the dialog focuses first: fields and buttons, not links (as Radix).
const focusable =
  'button:not(:disabled),input:not(:disabled):not([type="hidden"]),select:not(:disabled),textarea:not(:disabled),[tabindex]:not([tabindex="-1"])';

/** Whether a click on the dialog element itself fell outside its box, on the `::backdrop`. */
function isOnBackdrop(dialog: HTMLDialogElement, event: MouseEvent): boolean {
  if (event.target !== dialog) return false;
  const box = dialog.getBoundingClientRect();
  return (
    event.clientX < box.left ||
    event.clientX > box.right ||
    event.clientY < box.top ||
    event.clientY > box.bottom
  );
}

/**
 * The panel: a modal `<dialog class="agenda-dialog">` (with the `open` attribute), rendered only while
 * open; its dimmed backdrop is `.agenda-dialog::backdrop`. `showModal()` puts it in the top layer and
 * makes the page behind inert; focus goes to its first field or button, and the page does not scroll
 * while it is open. Escape and a click on the backdrop close it (through `onOpenChange`); on closing,
 * focus goes back to what had it when the dialog opened (the event, the day, "+N more"), if it is
 * still there. Where `showModal()` is missing (jsdom, browsers before 2022) the dialog is shown with
 * its `open` attribute, in place, and Escape is heard on its keydown.
 */
const Content = forwardRef<HTMLDialogElement, EventDialogContentProps>(function EventDialogContent(
  { container, showCloseButton = true, className, children, ...props },
  forwardedRef,
) {
  const { open, setOpen, titleId, descriptionId, titles, descriptions } = useDialog("Content");
  if (!open) return null;
  const dialog = (
    <OpenDialog
      ref={forwardedRef}
      setOpen={setOpen}
      className={className === undefined ? "agenda-dialog" : `agenda-dialog ${className}`}
      aria-labelledby={titles > 0 ? titleId : undefined}
      aria-describedby={descriptions > 0 ? descriptionId : undefined}
      {...props}
    >
      {children}
      {showCloseButton ? <CloseButton /> : null}
    </OpenDialog>
  );
  return container ? createPortal(dialog, container) : dialog;
});

interface OpenDialogProps extends Omit<ComponentPropsWithoutRef<"dialog">, "open"> {
  setOpen: (open: boolean) => void;
}

/** The `<dialog>` element from when it opens to when it closes. */
const OpenDialog = forwardRef<HTMLDialogElement, OpenDialogProps>(function OpenDialog(
  { setOpen, onKeyDown, ...props },
  forwardedRef,
) {
  const dialogRef = useRef<HTMLDialogElement>(null);
  useImperativeHandle(forwardedRef, () => dialogRef.current!, []);

  useLayoutEffect(() => {
    const dialog = dialogRef.current!;
    let pressedOnBackdrop = false;
    const onPointerDown = (event: PointerEvent) => {
      pressedOnBackdrop = isOnBackdrop(dialog, event);
    };
    // Pressed and released on the backdrop: a drag out of a field does not close the dialog.
    const onClick = (event: MouseEvent) => {
      if (pressedOnBackdrop && isOnBackdrop(dialog, event)) setOpen(false);
      pressedOnBackdrop = false;
    };
    // Escape: the dialog stays until its state says closed (a listener that called preventDefault keeps it).
    const onCancel = (event: Event) => {
      if (event.defaultPrevented) return;
      event.preventDefault();
      setOpen(false);
    };
    // The browser closed it anyway (a second Escape with no user activation between); a close
    // left over from reopening (React's strict mode runs this effect twice) finds it open again.
    const onClose = () => {
      if (!dialog.open) setOpen(false);
    };
    dialog.addEventListener("pointerdown", onPointerDown);
    dialog.addEventListener("click", onClick);
    dialog.addEventListener("cancel", onCancel);
    dialog.addEventListener("close", onClose);
    return () => {
      dialog.removeEventListener("pointerdown", onPointerDown);
      dialog.removeEventListener("click", onClick);
      dialog.removeEventListener("cancel", onCancel);
      dialog.removeEventListener("close", onClose);
    };
  }, [setOpen]);

  useLayoutEffect(() => {
    const dialog = dialogRef.current!;
    const opener = document.activeElement;
    // The CSS hides the page's overflow while a dialog is open; a classic scrollbar keeps its gutter.
    dialog.toggleAttribute("data-page-scrollbar", window.innerWidth > document.documentElement.clientWidth);
    if (typeof dialog.showModal === "function") dialog.showModal();
    else dialog.setAttribute("open", "");
    // Focus goes where Radix put it: the first field or button, with a text field's text selected
    // and its start shown. (showModal() alone may pick a scrollable list or leave the caret at the end.)
    const first = dialog.querySelector<HTMLElement>(focusable);
    first?.focus();
    if (first instanceof HTMLInputElement) {
      first.select();
      first.scrollLeft = 0;
    }
    return () => {
      if (typeof dialog.close === "function") dialog.close();
      else dialog.removeAttribute("open");
      if (opener instanceof HTMLElement && opener.isConnected) opener.focus();
    };
  }, []);

  return (
    <dialog
      ref={dialogRef}
      {...props}
      onKeyDown={(event) => {
        onKeyDown?.(event);
        // Without showModal() there is no cancel event: Escape is heard here, after the handlers
        // inside (a list that closes on Escape prevents the default to keep the dialog open).
        const modal = typeof event.currentTarget.showModal === "function";
        if (event.key === "Escape" && !event.defaultPrevented && !modal) {
          event.preventDefault();
          setOpen(false);
        }
      }}
    />
  );
});

function CloseButton() {
  const messages = useAgendaMessages();
  return (
    <Close className="agenda-icon-button agenda-dialog-close" aria-label={messages.close}>
      <svg viewBox="0 0 20 20" width="18" height="18" aria-hidden="true">
        <path d="M5 5l10 10M15 5L5 15" stroke="currentColor" strokeWidth="1.8" strokeLinecap="round" />
      </svg>
    </Close>
  );
}

/** The dialog's heading, which names it for screen readers. Class `agenda-dialog-title`. */
const Title = forwardRef<HTMLHeadingElement, ComponentPropsWithoutRef<"h2">>(function EventDialogTitle(
  { className, ...props },
  forwardedRef,
) {
  const { titleId, setTitles } = useDialog("Title");
  useMountedPart(setTitles);
  return (
    <h2
      ref={forwardedRef}
      id={titleId}
      className={className === undefined ? "agenda-dialog-title" : `agenda-dialog-title ${className}`}
      {...props}
    />
  );
});

/** A sentence describing the dialog, read after its title. Class `agenda-dialog-description`. */
const Description = forwardRef<HTMLParagraphElement, ComponentPropsWithoutRef<"p">>(
  function EventDialogDescription({ className, ...props }, forwardedRef) {
    const { descriptionId, setDescriptions } = useDialog("Description");
    useMountedPart(setDescriptions);
    return (
      <p
        ref={forwardedRef}
        id={descriptionId}
        className={
          className === undefined ? "agenda-dialog-description" : `agenda-dialog-description ${className}`
        }
        {...props}
      />
    );
  },
);

/**
 * The parts of the event dialog, over the platform's modal `<dialog>` (top layer, inert page,
 * Escape, focus moved in and given back, no page scroll):
 * `<EventDialog.Root open onOpenChange><EventDialog.Content><EventDialog.Title>…`.
 */
export const EventDialog = {
  /** Holds the open state; controlled with `open` / `onOpenChange` or not with `defaultOpen`. */
  Root,
  /** A button that opens the dialog; it has `aria-haspopup="dialog"` and `aria-expanded`. */
  Trigger,
  /** The `<dialog>` panel with its backdrop, rendered while open. */
  Content,
  /** The heading that names the dialog. */
  Title,
  /** A sentence that describes the dialog. */
  Description,
  /** A button that closes the dialog. */
  Close,
};
