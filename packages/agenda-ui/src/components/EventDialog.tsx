import * as Dialog from "@radix-ui/react-dialog";
import {
  type ComponentPropsWithoutRef,
  createContext,
  type Dispatch,
  forwardRef,
  type ReactNode,
  type SetStateAction,
  useContext,
  useLayoutEffect,
  useRef,
  useState,
} from "react";
import { useAgendaMessages } from "../AgendaProvider";

/**
 * Where dialogs render: inside the agenda's root element, so they inherit its `--agenda-*` variables
 * and `data-theme`, rather than in `document.body` where none of them apply.
 */
export const PortalContainerContext = createContext<HTMLElement | null>(null);

/** How many Descriptions are rendered, so Content points at one only while it is there. */
const DescriptionsContext = createContext<{
  count: number;
  setCount: Dispatch<SetStateAction<number>>;
} | null>(null);

/**
 * Props of {@link EventDialog.Root}: Radix Dialog's root props (`open`, `defaultOpen`, `onOpenChange`,
 * `modal`), controlled with `open` / `onOpenChange` or not with `defaultOpen`.
 */
export type EventDialogRootProps = Dialog.DialogProps;

function Root({ children, ...props }: EventDialogRootProps) {
  const [count, setCount] = useState(0);
  return (
    <Dialog.Root {...props}>
      <DescriptionsContext.Provider value={{ count, setCount }}>{children}</DescriptionsContext.Provider>
    </Dialog.Root>
  );
}

/** Props of {@link EventDialog.Content}: those of Radix Dialog's Content, and where it renders. */
export interface EventDialogContentProps extends ComponentPropsWithoutRef<typeof Dialog.Content> {
  /**
   * The element the dialog renders into, through a portal.
   * @default the enclosing `<Agenda>`'s root, else `document.body`
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

/**
 * The panel (class `agenda-dialog`) with its dimmed overlay (`agenda-dialog-overlay`), in a portal;
 * Radix sets `data-state="open" | "closed"` on both. Radix traps focus, puts it on the first field or
 * button (a text field's text selected), makes the page behind inert to screen readers and locks its
 * scroll, and stacks with the host's own Radix layers: Escape and a click outside close the topmost
 * one. On closing, focus goes back to what had it when the dialog opened (the event, the day,
 * "+N more"), if it is still there.
 */
const Content = forwardRef<HTMLDivElement, EventDialogContentProps>(function EventDialogContent(
  { container, showCloseButton = true, className, children, onOpenAutoFocus, onCloseAutoFocus, ...props },
  forwardedRef,
) {
  const agendaRoot = useContext(PortalContainerContext);
  const described = (useContext(DescriptionsContext)?.count ?? 0) > 0;
  const openerRef = useRef<Element | null>(null);
  // Radix always points aria-describedby at its Description's id; without one it would dangle.
  const description = described || "aria-describedby" in props ? {} : { "aria-describedby": undefined };
  return (
    <Dialog.Portal container={container ?? agendaRoot ?? undefined}>
      <Dialog.Overlay className="agenda-dialog-overlay" />
      <Dialog.Content
        ref={forwardedRef}
        className={className === undefined ? "agenda-dialog" : `agenda-dialog ${className}`}
        onOpenAutoFocus={(event) => {
          openerRef.current = document.activeElement;
          onOpenAutoFocus?.(event);
        }}
        onCloseAutoFocus={(event) => {
          onCloseAutoFocus?.(event);
          if (event.defaultPrevented) return;
          const opener = openerRef.current;
          if (opener instanceof HTMLElement && opener.isConnected) {
            event.preventDefault();
            opener.focus();
          }
        }}
        {...description}
        {...props}
      >
        {children}
        {showCloseButton ? <CloseButton /> : null}
      </Dialog.Content>
    </Dialog.Portal>
  );
});

function CloseButton() {
  const messages = useAgendaMessages();
  return (
    <Dialog.Close className="agenda-icon-button agenda-dialog-close" aria-label={messages.close}>
      <svg viewBox="0 0 20 20" width="18" height="18" aria-hidden="true">
        <path d="M5 5l10 10M15 5L5 15" stroke="currentColor" strokeWidth="1.8" strokeLinecap="round" />
      </svg>
    </Dialog.Close>
  );
}

/** The dialog's heading, which names it for screen readers. Class `agenda-dialog-title`. */
const Title = forwardRef<HTMLHeadingElement, ComponentPropsWithoutRef<typeof Dialog.Title>>(
  function EventDialogTitle({ className, ...props }, forwardedRef) {
    return (
      <Dialog.Title
        ref={forwardedRef}
        className={className === undefined ? "agenda-dialog-title" : `agenda-dialog-title ${className}`}
        {...props}
      />
    );
  },
);

/** A sentence describing the dialog, read after its title. Class `agenda-dialog-description`. */
const Description = forwardRef<HTMLParagraphElement, ComponentPropsWithoutRef<typeof Dialog.Description>>(
  function EventDialogDescription({ className, ...props }, forwardedRef) {
    const setCount = useContext(DescriptionsContext)?.setCount;
    useLayoutEffect(() => {
      setCount?.((count) => count + 1);
      return () => setCount?.((count) => count - 1);
    }, [setCount]);
    return (
      <Dialog.Description
        ref={forwardedRef}
        className={
          className === undefined ? "agenda-dialog-description" : `agenda-dialog-description ${className}`
        }
        {...props}
      />
    );
  },
);

/**
 * The parts of the event dialog, over Radix Dialog (focus trap, Escape, scroll lock, `aria-modal`,
 * layered with the host's own Radix dialogs and popovers):
 * `<EventDialog.Root open onOpenChange><EventDialog.Content><EventDialog.Title>…`.
 */
export const EventDialog = {
  /** Holds the open state; controlled with `open` / `onOpenChange` or not with `defaultOpen`. */
  Root,
  /** A button that opens the dialog; it has `aria-haspopup="dialog"` and `aria-expanded`. */
  Trigger: Dialog.Trigger,
  /** The panel with its overlay, rendered in a portal while open. */
  Content,
  /** The heading that names the dialog. */
  Title,
  /** A sentence that describes the dialog. */
  Description,
  /** A button that closes the dialog. */
  Close: Dialog.Close,
};
