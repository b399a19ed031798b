// Typed readers for the fields of a config object. Each returns the fallback when the field is
// absent and records a problem (returning the fallback too) when it is malformed, so validation
// carries on and reports everything at once.
import { closest, Problems, show } from "./problems";

export type RawObject = Readonly<Record<string, unknown>>;

/** A rule returns what is wrong with a value, or undefined when it is fine. */
export type Rule<T> = (value: T) => string | undefined;

export function readObject(
    key: string, value: unknown, known: readonly string[], problems: Problems,
): RawObject | undefined {
    if (typeof value !== "object" || value === null || Array.isArray(value)) {
        problems.add(key, `must be an object with the keys ${known.join(", ")}, got ${show(value)}`);
        return undefined;
    }
    for (const k of Object.keys(value)) {
        if (!known.includes(k)) {
            const guess = closest(k, known);
            const hint = guess ? `did you mean "${guess}"? ` : "";
            problems.add(`${key}.${k}`, `unknown key; ${hint}(known keys: ${known.join(", ")})`);
        }
    }
    return value as RawObject;
}

export function readString(
    key: string, value: unknown, fallback: string, problems: Problems, rule?: Rule<string>,
): string {
    if (value === undefined) {
        return fallback;
    }
    if (typeof value !== "string") {
        problems.add(key, `must be a string, got ${show(value)}`);
        return fallback;
    }
    const wrong = rule?.(value);
    if (wrong) {
        problems.add(key, `${show(value)} ${wrong}`);
        return fallback;
    }
    return value;
}

/**
 * A Kubernetes quantity, which the API takes as a string or a number (`cpu: 4`), as
 * `pulumi config set --path` writes a number; read as the string Kubernetes would print.
 */
export function readQuantity(
    key: string, value: unknown, fallback: string, problems: Problems, rule: Rule<string>,
): string {
    return readString(key, typeof value === "number" && Number.isFinite(value) ? String(value) : value, fallback, problems, rule);
}

export function readBoolean(key: string, value: unknown, fallback: boolean, problems: Problems): boolean {
    if (value === undefined) {
        return fallback;
    }
    if (typeof value !== "boolean") {
        problems.add(key, `must be true or false, got ${show(value)}`);
        return fallback;
    }
    return value;
}

export function readInteger(
    key: string, value: unknown, fallback: number, problems: Problems, min: number, max: number,
): number {
    if (value === undefined) {
        return fallback;
    }
    if (typeof value !== "number" || !Number.isInteger(value) || value < min || value > max) {
        problems.add(key, `must be a whole number from ${min} to ${max}, got ${show(value)}`);
        return fallback;
    }
    return value;
}

export function readStringList(
    key: string, value: unknown, problems: Problems, rule: Rule<string>,
): string[] {
    if (value === undefined) {
        return [];
    }
    if (!Array.isArray(value)) {
        problems.add(key, `must be a list of strings, got ${show(value)}`);
        return [];
    }
    const items: string[] = [];
    value.forEach((item, i) => {
        const read = readString(`${key}[${i}]`, item, "", problems, rule);
        if (read !== "") {
            items.push(read);
        }
    });
    return items;
}
