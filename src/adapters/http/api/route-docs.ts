/** The OpenAPI response and security entries the routes declare, written once. */
import type { z } from "@hono/zod-openapi";
import { ErrorSchema, looseDocument } from "./schemas.js";

export const json = (schema: z.ZodType, description: string) => ({
  content: { "application/json": { schema } },
  description,
});

export const errors = {
  400: json(ErrorSchema, "Bad input: the message names the field or value and how to fix it"),
  401: json(ErrorSchema, "Missing or wrong bearer token"),
  404: json(ErrorSchema, "No such graph version or component"),
};

export const forbidden = {
  403: json(ErrorSchema, "Applying was asked for, but the server does not allow it"),
};

export const bearer = [{ bearer: [] }];

/** A read's responses: its JSON document (a named, loose schema) and the errors. */
export const document = (name: string, description: string) => ({
  200: json(looseDocument(name, description), description),
  ...errors,
});
