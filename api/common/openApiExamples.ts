/** Named request-body examples as OpenAPI's `examples` holds them; the Swagger UI offers them in a list. */
export type OpenApiExamples = Record<string, { readonly summary: string; readonly value: unknown }>;
