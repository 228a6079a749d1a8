import type { CalendarEvent } from "@crm-agenda/shared";
import { TZDate } from "@date-fns/tz";
import { type PointerEvent as ReactPointerEvent, type RefObject, useEffect, useRef, useState } from "react";

/** Minutes a drag snaps to. */
export const snapMinutes = 15;
const minuteMs = 60_000;
/** How far (px) a pointer must travel before a press becomes a drag. */
const dragThreshold = 4;
/** How long a finger must rest on an event before it can be dragged, so touch still scrolls. */
const touchHoldMs = 350;
/** How many pixels at the bottom of a resizable event (`data-resizable`) drag its end rather than move it. */
const resizeEdge = 8;

/** An event moved or resized to new times. */
export interface TimeChange {
  event: CalendarEvent;
  start: Date;
  end: Date;
}

/** What a drag shows while the pointer is down. */
export type DragPreview =
  | { kind: "move" | "resize"; event: CalendarEvent; start: Date; end: Date }
  | { kind: "create"; dayIndex: number; start: Date; end: Date };

interface DragSession {
  kind: "move" | "resize" | "create";
  pointerId: number;
  pointerType: string;
  event: CalendarEvent | undefined;
  originX: number;
  originY: number;
  originDay: number;
  originMinutes: number;
  active: boolean;
  holdTimer: ReturnType<typeof setTimeout> | undefined;
  preview: DragPreview | undefined;
}

interface TimeGridDragOptions {
  days: readonly TZDate[];
  timeZone: string;
  columnRefs: RefObject<(HTMLDivElement | null)[]>;
  scrollerRef: RefObject<HTMLDivElement | null>;
  onChangeEventTime: ((change: TimeChange) => void) | undefined;
  onCreate: (start: Date, end: Date) => void;
}

/**
 * Pointer dragging on the time grid, for mouse, pen and touch alike: move an event (also to another
 * day), drag its lower edge to resize it, drag on empty time to create one. Times snap to 15 minutes
 * on the wall clock of the agenda's zone, so a 09:00 event dropped an hour later is at 10:00 even
 * across a daylight-saving change; durations are kept in real time. A touch must rest on an event
 * for a moment before it drags, so a swipe still scrolls the grid.
 */
export function useTimeGridDrag({
  days,
  timeZone,
  columnRefs,
  scrollerRef,
  onChangeEventTime,
  onCreate,
}: TimeGridDragOptions) {
  const [preview, setPreview] = useState<DragPreview | undefined>(undefined);
  const sessionRef = useRef<DragSession | null>(null);
  const suppressClickRef = useRef(false);
  const latest = useRef({ days, timeZone, onChangeEventTime, onCreate });
  latest.current = { days, timeZone, onChangeEventTime, onCreate };

  /** The day column and wall-clock minute under a point of the screen. */
  const locate = (clientX: number, clientY: number): { dayIndex: number; minutes: number } | null => {
    const columns = columnRefs.current;
    let dayIndex = -1;
    let closest = Number.POSITIVE_INFINITY;
    for (let index = 0; index < columns.length; index += 1) {
      const bounds = columns[index]?.getBoundingClientRect();
      if (bounds === undefined) continue;
      const distance =
        clientX < bounds.left ? bounds.left - clientX : clientX > bounds.right ? clientX - bounds.right : 0;
      if (distance < closest) {
        closest = distance;
        dayIndex = index;
      }
    }
    const bounds = columns[dayIndex]?.getBoundingClientRect();
    if (bounds === undefined || bounds.height === 0) return null;
    const fraction = Math.min(Math.max((clientY - bounds.top) / bounds.height, 0), 1);
    return { dayIndex, minutes: fraction * 24 * 60 };
  };

  const computePreview = (
    session: DragSession,
    clientX: number,
    clientY: number,
  ): DragPreview | undefined => {
    const place = locate(clientX, clientY);
    const { days: shownDays, timeZone: zone } = latest.current;
    if (place === null) return session.preview;
    const day = shownDays[place.dayIndex];
    const originDay = shownDays[session.originDay];
    if (day === undefined || originDay === undefined) return session.preview;
    if (session.kind === "create") {
      const from = Math.min(session.originMinutes, place.minutes);
      const to = Math.max(session.originMinutes, place.minutes);
      const startMinutes = Math.floor(from / snapMinutes) * snapMinutes;
      const endMinutes = Math.max(Math.ceil(to / snapMinutes) * snapMinutes, startMinutes + snapMinutes);
      return {
        kind: "create",
        dayIndex: session.originDay,
        start: wallClock(originDay, startMinutes, zone),
        end: wallClock(originDay, endMinutes, zone),
      };
    }
    const event = session.event!;
    const start = new TZDate(event.start, zone);
    const end = new TZDate(event.end, zone);
    if (session.kind === "resize") {
      const endMinutes = Math.round(place.minutes / snapMinutes) * snapMinutes;
      const newEnd = wallClock(day, endMinutes, zone);
      const shortest = start.getTime() + snapMinutes * minuteMs;
      return {
        kind: "resize",
        event,
        start: new Date(start.getTime()),
        end: new Date(Math.max(newEnd.getTime(), shortest)),
      };
    }
    const dayShift = Math.round((day.getTime() - originDay.getTime()) / (24 * 60 * minuteMs));
    const startMinutes = start.getHours() * 60 + start.getMinutes() + (place.minutes - session.originMinutes);
    const snapped = Math.round(startMinutes / snapMinutes) * snapMinutes;
    const newStart = new TZDate(
      start.getFullYear(),
      start.getMonth(),
      start.getDate() + dayShift,
      0,
      snapped,
      zone,
    );
    return {
      kind: "move",
      event,
      start: new Date(newStart.getTime()),
      end: new Date(newStart.getTime() + (end.getTime() - start.getTime())),
    };
  };

  const activate = (session: DragSession) => {
    session.active = true;
    suppressClickRef.current = true;
    if (session.pointerType === "touch") navigator.vibrate?.(10);
  };

  useEffect(() => {
    const onMove = (pointer: PointerEvent) => {
      const session = sessionRef.current;
      if (session === null || pointer.pointerId !== session.pointerId) return;
      const travelled = Math.hypot(pointer.clientX - session.originX, pointer.clientY - session.originY);
      if (!session.active) {
        if (session.pointerType === "touch") {
          // A finger that moves before the hold is scrolling, not dragging.
          if (travelled > dragThreshold * 2) end();
          return;
        }
        if (travelled < dragThreshold) return;
        activate(session);
      }
      session.preview = computePreview(session, pointer.clientX, pointer.clientY);
      setPreview(session.preview);
    };
    const onUp = (pointer: PointerEvent) => {
      const session = sessionRef.current;
      if (session === null || pointer.pointerId !== session.pointerId) return;
      const done = session.active ? session.preview : undefined;
      end();
      if (done === undefined) return;
      if (done.kind === "create") latest.current.onCreate(done.start, done.end);
      else if (
        done.start.getTime() !== Date.parse(done.event.start) ||
        done.end.getTime() !== Date.parse(done.event.end)
      )
        latest.current.onChangeEventTime?.({ event: done.event, start: done.start, end: done.end });
    };
    const onCancel = (pointer: PointerEvent) => {
      if (sessionRef.current?.pointerId === pointer.pointerId) end();
    };
    const onKey = (key: KeyboardEvent) => {
      if (key.key === "Escape" && sessionRef.current !== null) end();
    };
    // While a touch drags, the grid must not scroll under the finger.
    const onTouchMove = (touch: TouchEvent) => {
      if (sessionRef.current?.active) touch.preventDefault();
    };
    const scroller = scrollerRef.current;
    window.addEventListener("pointermove", onMove);
    window.addEventListener("pointerup", onUp);
    window.addEventListener("pointercancel", onCancel);
    window.addEventListener("keydown", onKey);
    scroller?.addEventListener("touchmove", onTouchMove, { passive: false });
    return () => {
      window.removeEventListener("pointermove", onMove);
      window.removeEventListener("pointerup", onUp);
      window.removeEventListener("pointercancel", onCancel);
      window.removeEventListener("keydown", onKey);
      scroller?.removeEventListener("touchmove", onTouchMove);
    };
  });

  const end = () => {
    const session = sessionRef.current;
    if (session?.holdTimer !== undefined) clearTimeout(session.holdTimer);
    sessionRef.current = null;
    setPreview(undefined);
    // The click that follows a drag's release must not open or create anything.
    setTimeout(() => {
      suppressClickRef.current = false;
    }, 0);
  };

  const begin = (
    kind: DragSession["kind"],
    pointer: ReactPointerEvent<HTMLElement>,
    event: CalendarEvent | undefined,
  ) => {
    if (pointer.button !== 0 || sessionRef.current !== null) return;
    const place = locate(pointer.clientX, pointer.clientY);
    if (place === null) return;
    const session: DragSession = {
      kind,
      pointerId: pointer.pointerId,
      pointerType: pointer.pointerType,
      event,
      originX: pointer.clientX,
      originY: pointer.clientY,
      originDay: place.dayIndex,
      originMinutes: place.minutes,
      active: false,
      holdTimer: undefined,
      preview: undefined,
    };
    if (pointer.pointerType === "touch") {
      session.holdTimer = setTimeout(() => {
        activate(session);
        session.preview = computePreview(session, session.originX, session.originY);
        setPreview(session.preview);
      }, touchHoldMs);
    }
    sessionRef.current = session;
  };

  return {
    preview,
    /** Starts moving (or, from its lower edge, resizing) an event. */
    onEventPointerDown: (event: CalendarEvent) => (pointer: ReactPointerEvent<HTMLElement>) => {
      // The edge is found by position rather than by a handle element: one element fewer per event.
      const chip = pointer.currentTarget;
      const resizing =
        chip.hasAttribute("data-resizable") &&
        pointer.clientY >= chip.getBoundingClientRect().bottom - resizeEdge;
      if (resizing) pointer.preventDefault();
      begin(resizing ? "resize" : "move", pointer, event);
    },
    /** Starts drawing a new event on empty time; touch taps still create through the click. */
    onColumnPointerDown: (pointer: ReactPointerEvent<HTMLElement>) => {
      if ((pointer.target as HTMLElement).closest(".agenda-event, .agenda-week-more") !== null) return;
      if (pointer.pointerType === "touch") return;
      begin("create", pointer, undefined);
    },
    /** True while the click after a drag should be ignored. */
    isClickSuppressed: () => suppressClickRef.current,
  };
}

/** `minutes` after local midnight of `day` on the wall clock of `timeZone` (1440 is the next midnight). */
export function wallClock(day: TZDate, minutes: number, timeZone: string): Date {
  const local = new TZDate(day.getFullYear(), day.getMonth(), day.getDate(), 0, minutes, timeZone);
  return new Date(local.getTime());
}
