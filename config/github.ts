// The GitHub provider's own keys (`github:*` other than owner and token) that pace it, retry it
// and authenticate it as a GitHub App. The provider reads them itself; the program checks what it
// can before anything is created, so that a wrong value is listed with every other problem
// instead of failing the provider's configuration halfway through an update. Names, types,
// defaults and ranges: docs/upstream.md, "The provider's own keys"; what each does and what this
// platform recommends: docs/github.md.
import { Problems } from "../components/shared/settings/problems";

/** `*_delay_ms` and `max_retries`: whole numbers, 0 or more, as the provider's schema says. */
const nonNegativeIntegerKeys = ["github:writeDelayMs", "github:readDelayMs", "github:retryDelayMs", "github:maxRetries"] as const;

/**
 * Most a delay may be: an hour between two requests would hold an update for days, and is
 * always a mistake in units (seconds for milliseconds is 1,000 times too little; this catches
 * the other way round).
 */
const maxDelayMs = 3_600_000;

/** Checks every `github:` key the program knows beyond owner and token; reads none that is secret. */
export function checkGithubProvider(raw: Readonly<Record<string, string>>, secretKeys: ReadonlySet<string>, problems: Problems): void {
    for (const key of nonNegativeIntegerKeys) {
        const value = raw[key];
        if (value === undefined || secretKeys.has(key)) continue;
        const n = Number(value);
        if (value.trim() === "" || !Number.isInteger(n) || n < 0) {
            problems.add(key, `is ${JSON.stringify(value)}, but the GitHub provider takes a whole number, 0 or more`);
        } else if (key !== "github:maxRetries" && n > maxDelayMs) {
            problems.add(key, `is ${n} ms, more than an hour between requests: it is in milliseconds (see docs/github.md)`);
        }
    }
    const parallel = raw["github:parallelRequests"];
    if (parallel !== undefined && !secretKeys.has("github:parallelRequests") && parallel !== "true" && parallel !== "false") {
        problems.add("github:parallelRequests", `is ${JSON.stringify(parallel)}, but the GitHub provider takes true or false`);
    }
    checkRetryableErrors(raw, secretKeys, problems);
    checkAppAuth(raw, secretKeys, problems);
}

/** A list of HTTP status codes (the provider's `retryable_errors`); a retry only makes sense for an error. */
function checkRetryableErrors(raw: Readonly<Record<string, string>>, secretKeys: ReadonlySet<string>, problems: Problems): void {
    const key = "github:retryableErrors";
    const value = raw[key];
    if (value === undefined || secretKeys.has(key)) return;
    let parsed: unknown;
    try {
        parsed = JSON.parse(value);
    } catch {
        parsed = undefined;
    }
    if (!Array.isArray(parsed) || parsed.length === 0) {
        problems.add(key, "must be a list of HTTP status codes, e.g. `pulumi config set --path 'github:retryableErrors[0]' 502`");
        return;
    }
    const bad = parsed.filter((code) => !Number.isInteger(code) || (code as number) < 400 || (code as number) > 599);
    if (bad.length > 0) {
        problems.add(key, `holds ${bad.map((code) => JSON.stringify(code)).join(", ")}: only HTTP error statuses (400 to 599) can be retried`);
    }
    if (parsed.includes(403) || parsed.includes(429)) {
        problems.add(key, "lists 403 or 429: those are GitHub's rate limits, which the provider already waits out " +
            "(github/transport.go RateLimitTransport sleeps until the reset or Retry-After); a retry on top spends more of the limit");
    }
}

/**
 * `github:appAuth` holds the App's private key (`pemFile`): a credential, refused in plain text
 * like github:token, and then not read at all, so that no problem can quote it.
 */
function checkAppAuth(raw: Readonly<Record<string, string>>, secretKeys: ReadonlySet<string>, problems: Problems): void {
    const key = "github:appAuth";
    if (raw[key] === undefined || raw[key] === "") return;
    if (!secretKeys.has(key)) {
        problems.add(key, "is stored in plain text in the stack file (Pulumi.<stack>.yaml): its pemFile is the GitHub App's " +
            "private key. Set it again with `pulumi config set --secret --path github:appAuth.pemFile \"$(cat app.pem)\"` (id and " +
            "installationId with --path too), or `pulumi config rm github:appAuth` and export GITHUB_APP_ID, " +
            "GITHUB_APP_INSTALLATION_ID and GITHUB_APP_PEM_FILE instead; if the stack file was ever committed or shared, " +
            "revoke the key in the App's settings");
    }
}
