/** Google APIs' error body (https://cloud.google.com/apis/design/errors#http_mapping). */
export function googleApiError(code: number, status: string, message: string) {
  return { error: { code, message, status } };
}
