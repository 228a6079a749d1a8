import { BookingPage, GuestBookingPage } from "@crm-agenda/ui/booking";

/** The public pages of the demo's booking links: `/book/<link token>` and `/book/manage/<guest's token>`. */
export function publicBookingPageOf(pathname: string) {
  const match = /^\/book\/(manage\/)?([A-Za-z0-9_-]{22,64})\/?$/.exec(pathname);
  if (!match) return null;
  const [, manage, token] = match as unknown as [string, string | undefined, string];
  return (
    <main className="crm-public-booking">
      {manage ? (
        <GuestBookingPage baseUrl="/api/agenda" token={token} locale="fr" />
      ) : (
        <BookingPage
          baseUrl="/api/agenda"
          token={token}
          locale="fr"
          manageUrl={(secret) => `${window.location.origin}/book/manage/${secret}`}
        />
      )}
    </main>
  );
}
