import type { Provider } from "@crm-agenda/shared";

/** Props of {@link ProviderMark}. */
export interface ProviderMarkProps {
  /** Whose mark to draw. */
  provider: Provider;
  /**
   * Width and height in pixels.
   * @default 32
   */
  size?: number;
}

/**
 * A small drawn mark for Zoom, Google or Microsoft, beside the provider's written name (so it is
 * hidden from assistive technology). Class `agenda-provider-mark`; sets `data-provider`.
 */
export function ProviderMark({ provider, size = 32 }: ProviderMarkProps) {
  return (
    <svg
      className="agenda-provider-mark"
      data-provider={provider}
      viewBox="0 0 32 32"
      width={size}
      height={size}
      aria-hidden="true"
    >
      {provider === "zoom" ? (
        <>
          <rect width="32" height="32" rx="8" fill="#0b5cff" />
          <rect x="6" y="10" width="14" height="12" rx="3" fill="#fff" />
          <path d="M21 14.5l5-3.5v10l-5-3.5z" fill="#fff" />
        </>
      ) : provider === "google" ? (
        <>
          <rect width="32" height="32" rx="8" fill="#fff" stroke="#dadce0" />
          <path d="M16 9a7 7 0 0 1 4.8 1.9l-2 2A4.2 4.2 0 0 0 16 11.8V9z" fill="#ea4335" />
          <path d="M9 16a7 7 0 0 1 7-7v2.8a4.2 4.2 0 0 0-4.2 4.2H9z" fill="#fbbc04" />
          <path d="M16 23a7 7 0 0 1-7-7h2.8a4.2 4.2 0 0 0 4.2 4.2V23z" fill="#34a853" />
          <path d="M16 23v-2.8a4.2 4.2 0 0 0 4-2.8h-4v-2.8h7a7 7 0 0 1-7 8.4z" fill="#4285f4" />
        </>
      ) : (
        <>
          <rect width="32" height="32" rx="8" fill="#fff" stroke="#dadce0" />
          <rect x="7" y="7" width="8.5" height="8.5" fill="#f25022" />
          <rect x="16.5" y="7" width="8.5" height="8.5" fill="#7fba00" />
          <rect x="7" y="16.5" width="8.5" height="8.5" fill="#00a4ef" />
          <rect x="16.5" y="16.5" width="8.5" height="8.5" fill="#ffb900" />
        </>
      )}
    </svg>
  );
}
