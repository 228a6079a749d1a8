import { z } from "zod";

/**
 * A string a person or a caller typed. PostgreSQL text cannot hold the NUL character (U+0000), so it
 * is refused here with the field named, rather than failing later at the database.
 */
export function plainText() {
  return z.string().refine((value) => !value.includes("\u0000"), {
    message: "must not contain the NUL character (U+0000)",
  });
}
