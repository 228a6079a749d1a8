import type { SandboxAccount, SandboxClient } from "@crm-agenda/sandbox";

/**
 * An access token for `account` from a Google sandbox started with `autoApprove`: the consent page
 * answers at once for the hinted account, and the code is exchanged as a web server app does.
 */
export async function googleAccessToken(
  baseUrl: string,
  client: SandboxClient,
  account: SandboxAccount,
): Promise<string> {
  const redirectUri = "http://127.0.0.1/callback";
  const consent = await fetch(
    `${baseUrl}/o/oauth2/v2/auth?${new URLSearchParams({
      client_id: client.clientId,
      redirect_uri: redirectUri,
      response_type: "code",
      scope: "https://www.googleapis.com/auth/meetings.space.readonly",
      login_hint: account.email,
      state: "test",
    })}`,
    { redirect: "manual" },
  );
  const code = new URL(consent.headers.get("location") ?? "").searchParams.get("code");
  if (!code) throw new Error(`the sandbox gave no code (${consent.status})`);
  const token = await fetch(`${baseUrl}/token`, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({
      grant_type: "authorization_code",
      code,
      redirect_uri: redirectUri,
      client_id: client.clientId,
      client_secret: client.clientSecret,
    }),
  });
  const body = (await token.json()) as { access_token?: string };
  if (!body.access_token) throw new Error(`the sandbox gave no token (${token.status})`);
  return body.access_token;
}
