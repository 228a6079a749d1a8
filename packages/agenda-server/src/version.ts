/** The package's version, as published in /openapi.json. */
export const version = "0.1.0";
