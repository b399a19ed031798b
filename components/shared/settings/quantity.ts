// Kubernetes resource quantities as stack config may spell them, checked strictly so a typo is a
// config error naming the key rather than an API server rejection halfway through `pulumi up`.
import { Rule } from "./fields";

// cpu: whole or decimal cores (at most millicore precision), or millicores.
const cpuPattern = /^(?:\d+m|\d+(?:\.\d{1,3})?)$/;
// memory and storage: bytes, with an optional binary (Ki..Ei) or decimal (k..E) suffix.
const bytesPattern = /^(\d+(?:\.\d+)?)(Ki|Mi|Gi|Ti|Pi|Ei|k|M|G|T|P|E)?$/;

const bytesSuffixes: Readonly<Record<string, number>> = {
    "": 1, k: 1e3, M: 1e6, G: 1e9, T: 1e12, P: 1e15, E: 1e18,
    Ki: 2 ** 10, Mi: 2 ** 20, Gi: 2 ** 30, Ti: 2 ** 40, Pi: 2 ** 50, Ei: 2 ** 60,
};

/** Cores; only for values cpuQuantity accepted. */
export function cores(value: string): number {
    return value.endsWith("m") ? Number(value.slice(0, -1)) / 1000 : Number(value);
}

/** Bytes; only for values bytesQuantity accepted. */
export function bytes(value: string): number {
    const [, number, suffix = ""] = bytesPattern.exec(value)!;
    return Number(number) * bytesSuffixes[suffix];
}

export const cpuQuantity: Rule<string> = (value) => {
    if (!cpuPattern.test(value)) {
        return "is not a cpu quantity: write it as Kubernetes does, in cores or millicores, for example 500m or 2";
    }
    return cores(value) > 0 ? undefined : "must be more than zero";
};

/** Memory and storage. */
export const bytesQuantity: Rule<string> = (value) => {
    if (!bytesPattern.test(value)) {
        // 1GB and 512mb are the usual slips; Kubernetes would read neither.
        const slip = /^(\d+(?:\.\d+)?)\s*([kmgtpe])i?b$/i.exec(value);
        const hint = slip ? ` (did you mean ${slip[1]}${slip[2].toUpperCase()}i?)` : "";
        return `is not a quantity of bytes${hint}: write it as Kubernetes does, for example 512Mi or 4Gi ` +
            "(binary suffixes Ki, Mi, Gi, Ti; decimal k, M, G, T)";
    }
    return bytes(value) > 0 ? undefined : "must be more than zero";
};
