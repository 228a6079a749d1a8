import type { SeriesScope } from "@crm-agenda/shared";
import { useState } from "react";
import { useAgendaMessages } from "../AgendaProvider";
import { EventDialog } from "./EventDialog";

/**
 * Asks which events of a series a change or a deletion reaches: this event, this and following, or
 * all events. `ask` resolves with the choice, or null when the person closes the question.
 * `dialog` is to be rendered; class `agenda-scope-dialog`.
 */
export function useSeriesScope() {
  const messages = useAgendaMessages();
  const [pending, setPending] = useState<{
    answer: (scope: SeriesScope | null) => void;
    withThis: boolean;
  }>();
  const answer = (scope: SeriesScope | null) => {
    pending?.answer(scope);
    setPending(undefined);
  };
  const ask = (withThis = true) =>
    new Promise<SeriesScope | null>((resolve) => setPending({ answer: resolve, withThis }));
  const scopes: [SeriesScope, string][] = [
    ["this", messages.seriesScopeThis],
    ["following", messages.seriesScopeFollowing],
    ["all", messages.seriesScopeAll],
  ];
  const dialog = (
    <EventDialog.Root open={pending !== undefined} onOpenChange={(open) => open || answer(null)}>
      <EventDialog.Content className="agenda-scope-dialog">
        <EventDialog.Title>{messages.seriesScopeTitle}</EventDialog.Title>
        <div className="agenda-form-actions">
          {scopes.map(([scope, label]) =>
            scope === "this" && !pending?.withThis ? null : (
              <button key={scope} type="button" className="agenda-button" onClick={() => answer(scope)}>
                {label}
              </button>
            ),
          )}
        </div>
      </EventDialog.Content>
    </EventDialog.Root>
  );
  return { ask, dialog };
}
