// A validator for the part of JSON Schema (OpenAPI v3, as CRDs write it) that the hand-written
// FluxInstance schema uses: type, properties, required, additionalProperties: false, enum, const,
// items, minItems, pattern. Returns every problem, each with its path.

export interface SchemaSubset {
    readonly type?: "object" | "string" | "boolean" | "array";
    readonly properties?: Readonly<Record<string, SchemaSubset>>;
    readonly required?: readonly string[];
    /** false: a field the schema does not list is a problem (a CRD would silently prune it). */
    readonly additionalProperties?: false | SchemaSubset;
    readonly enum?: readonly string[];
    readonly const?: string;
    readonly items?: SchemaSubset;
    readonly minItems?: number;
    readonly pattern?: string;
}

function typeOf(value: unknown): string {
    return Array.isArray(value) ? "array" : value === null ? "null" : typeof value;
}

export function schemaProblems(schema: SchemaSubset, value: unknown, at = "$"): string[] {
    if (schema.type !== undefined && typeOf(value) !== schema.type) {
        return [`${at}: expected ${schema.type}, got ${typeOf(value)}`];
    }
    const problems: string[] = [];
    if (schema.enum !== undefined && !schema.enum.includes(value as string)) {
        problems.push(`${at}: ${JSON.stringify(value)} is not one of ${schema.enum.join(", ")}`);
    }
    if (schema.const !== undefined && value !== schema.const) {
        problems.push(`${at}: must be ${JSON.stringify(schema.const)}`);
    }
    if (schema.pattern !== undefined && !new RegExp(schema.pattern).test(value as string)) {
        problems.push(`${at}: does not match ${schema.pattern}`);
    }
    if (Array.isArray(value)) {
        if (schema.minItems !== undefined && value.length < schema.minItems) {
            problems.push(`${at}: fewer than ${schema.minItems} items`);
        }
        if (schema.items !== undefined) {
            value.forEach((item, i) => problems.push(...schemaProblems(schema.items!, item, `${at}[${i}]`)));
        }
    } else if (typeof value === "object" && value !== null) {
        const object = value as Record<string, unknown>;
        for (const key of schema.required ?? []) {
            if (!(key in object)) {
                problems.push(`${at}.${key}: required`);
            }
        }
        for (const [key, field] of Object.entries(object)) {
            const known = schema.properties?.[key];
            if (known !== undefined) {
                problems.push(...schemaProblems(known, field, `${at}.${key}`));
            } else if (schema.additionalProperties === false) {
                problems.push(`${at}.${key}: not a field of the schema`);
            } else if (schema.additionalProperties !== undefined) {
                problems.push(...schemaProblems(schema.additionalProperties, field, `${at}.${key}`));
            }
        }
    }
    return problems;
}
