// Go's time.ParseDuration, as the Go that builds fluxd 1.25.4 (Go 1.17) runs it, so that an
// interval that passes config is one fluxd can read (docs/upstream.md, "fluxd's flags and how they
// are parsed"): a Duration is an int64 of nanoseconds, and any step that would pass 1<<63-1 is an
// "invalid duration".

import { Rule } from "./fields";

export type GoDuration =
    | { readonly ok: true; readonly nanoseconds: bigint }
    | { readonly ok: false; readonly reason: "syntax" | "overflow" };

/** The longest Duration Go has: 1<<63-1 nanoseconds, which Go prints as 2562047h47m16.854775807s. */
export const maxGoDuration = (1n << 63n) - 1n;

// Go 1.17's unitMap: "µs" is U+00B5 (micro sign), "μs" U+03BC (Greek mu); both are accepted.
const unitNanoseconds: Readonly<Record<string, bigint>> = {
    ns: 1n, us: 1_000n, "\u00b5s": 1_000n, "\u03bcs": 1_000n, ms: 1_000_000n,
    s: 1_000_000_000n, m: 60_000_000_000n, h: 3_600_000_000_000n,
};

const isDigit = (c: string | undefined): boolean => c !== undefined && c >= "0" && c <= "9";

/** The duration `text` stands for, or why Go refuses it. */
export function parseGoDuration(text: string): GoDuration {
    let rest = text;
    let negative = false;
    if (rest.startsWith("-") || rest.startsWith("+")) {
        negative = rest[0] === "-";
        rest = rest.slice(1);
    }
    // Go's special case: a bare "0" needs no unit.
    if (rest === "0") {
        return { ok: true, nanoseconds: 0n };
    }
    if (rest === "") {
        return { ok: false, reason: "syntax" };
    }
    let total = 0n;
    while (rest !== "") {
        if (!(rest[0] === "." || isDigit(rest[0]))) {
            return { ok: false, reason: "syntax" };
        }
        const whole = leadingInt(rest);
        if (!whole) {
            return { ok: false, reason: "overflow" };
        }
        const hadWhole = whole.rest.length !== rest.length;
        rest = whole.rest;
        let fraction = { value: 0n, scale: 1, rest };
        let hadFraction = false;
        if (rest.startsWith(".")) {
            fraction = leadingFraction(rest.slice(1));
            hadFraction = fraction.rest.length !== rest.length - 1;
            rest = fraction.rest;
        }
        if (!hadWhole && !hadFraction) {
            return { ok: false, reason: "syntax" };
        }
        let unitLength = 0;
        while (unitLength < rest.length && rest[unitLength] !== "." && !isDigit(rest[unitLength])) {
            unitLength++;
        }
        const unit = unitNanoseconds[rest.slice(0, unitLength)];
        if (unitLength === 0 || unit === undefined) {
            return { ok: false, reason: "syntax" };
        }
        rest = rest.slice(unitLength);
        if (whole.value > maxGoDuration / unit) {
            return { ok: false, reason: "overflow" };
        }
        let value = whole.value * unit;
        if (fraction.value > 0n) {
            // Go computes this part in float64 and truncates it to an integer; so does this.
            value += BigInt(Math.trunc(Number(fraction.value) * (Number(unit) / fraction.scale)));
            if (value > maxGoDuration) {
                return { ok: false, reason: "overflow" };
            }
        }
        total += value;
        if (total > maxGoDuration) {
            return { ok: false, reason: "overflow" };
        }
    }
    return { ok: true, nanoseconds: negative ? -total : total };
}

// [0-9]* as an int64; undefined when it would pass 1<<63-1.
function leadingInt(text: string): { value: bigint; rest: string } | undefined {
    let value = 0n;
    let i = 0;
    for (; i < text.length && isDigit(text[i]); i++) {
        if (value > maxGoDuration / 10n) {
            return undefined;
        }
        value = value * 10n + BigInt(text.charCodeAt(i) - 48);
        if (value > maxGoDuration) {
            return undefined;
        }
    }
    return { value, rest: text.slice(i) };
}

// [0-9]* after the point: digits past int64's precision are read and dropped, not an error.
function leadingFraction(text: string): { value: bigint; scale: number; rest: string } {
    let value = 0n;
    let scale = 1;
    let overflow = false;
    let i = 0;
    for (; i < text.length && isDigit(text[i]); i++) {
        if (overflow) {
            continue;
        }
        const next = value * 10n + BigInt(text.charCodeAt(i) - 48);
        if (value > maxGoDuration / 10n || next > maxGoDuration) {
            overflow = true;
            continue;
        }
        value = next;
        scale *= 10;
    }
    return { value, scale, rest: text.slice(i) };
}

/**
 * A duration `reader` parses with Go's time.ParseDuration: a value Go refuses, or one past its
 * int64 limit, would stop it with a flag or field error.
 */
export function goDuration(reader: string): Rule<string> {
    return (value) => {
        const parsed = parseGoDuration(value);
        if (!parsed.ok && parsed.reason === "overflow") {
            return `is longer than Go's longest duration, 2562047h47m16.854775807s, which ${reader} cannot read`;
        }
        if (!parsed.ok) {
            return "is not a duration: write it as Go does, for example 30s, 5m or 1h30m";
        }
        if (parsed.nanoseconds <= 0n) {
            return "must be longer than zero";
        }
        return undefined;
    };
}
