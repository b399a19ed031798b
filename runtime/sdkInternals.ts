// Every part of @pulumi/pulumi that this project relies on beyond the SDK's public API, in one
// list. Each was read in the SDK at the version below; a newer SDK may move it, and then the
// program would not fail, it would silently get slower or wrong. So the program checks the list
// when it starts (index.ts) and says once, clearly, what no longer matches. The tests and the
// benchmark reach further into the SDK (its mock monitor, its RPC bookkeeping): those parts are
// on the list too, and test/kit/sdkInternals.ts is the only file that touches them.

/** The SDK version every entry was read in (node_modules/@pulumi/pulumi at this version). */
export const sdkVerifiedVersion = "3.248.0";

export interface SdkInternal {
    /** What the project relies on, in the SDK's words. */
    readonly what: string;
    /** The files that rely on it, and what happens when it is gone. */
    readonly reliedOnBy: string;
    /** Checked when the program starts; undefined for parts only tests reach (their specs check them). */
    readonly check?: () => string | undefined;
}

// Loaded lazily and by path: none of these modules is in the SDK's exports map as public API.
function sdkModule(path: string): Record<string, unknown> | undefined {
    try {
        // eslint-disable-next-line @typescript-eslint/no-require-imports
        return require(`@pulumi/pulumi/${path}`) as Record<string, unknown>;
    } catch {
        return undefined;
    }
}

function hasFunction(path: string, name: string): string | undefined {
    const mod = sdkModule(path);
    if (!mod) {
        return `@pulumi/pulumi/${path} is gone`;
    }
    return typeof mod[name] === "function" ? undefined : `@pulumi/pulumi/${path} has no function ${name}`;
}

/**
 * The per-promise stack trace: after runtime/promiseLeakStacks.ts is switched on, a promise the
 * SDK wraps must carry the placeholder, not a formatted trace. Judged by behaviour, so a renamed
 * or moved capture is caught too.
 */
export function promiseTraceSkipped(placeholder: string): string | undefined {
    const debuggable = sdkModule("runtime/debuggable");
    const wrap = debuggable?.debuggablePromise as ((p: Promise<void>, ctx: string) => Promise<void>) | undefined;
    if (typeof wrap !== "function") {
        return "@pulumi/pulumi/runtime/debuggable has no function debuggablePromise";
    }
    const promise = Promise.resolve();
    void wrap(promise, "sdk-internals-check");
    const trace = (promise as unknown as { _debugStackTrace?: unknown })._debugStackTrace;
    return trace === placeholder ? undefined
        : "the SDK formats a stack trace for each promise again (previews become about three times slower)";
}

export const sdkInternals: readonly SdkInternal[] = [
    {
        what: "runtime/debuggable.js debuggablePromise(): the top frame of the stack trace kept for every promise, " +
            "and the SDK calling it through the module's exports (so that a wrapper with a one-frame limit takes effect)",
        reliedOnBy: "runtime/promiseLeakStacks.ts, which skips formatting those traces; without it previews are ~3x slower " +
            "(checked at start-up by behaviour, and by test/components/promiseLeakStacks.spec.ts while resources register)",
    },
    {
        what: "pulumi.runtime.isConfigSecret(key): whether a config key was set with --secret (not in the SDK's typings)",
        reliedOnBy: "config/load.ts, so that secret config is never printed; without it the program cannot start",
        check: () => hasFunction("runtime/config", "isConfigSecret"),
    },
    {
        what: "Resource source positions: the SDK takes them only from stack frames that have a function name",
        reliedOnBy: "components/platform/platform.ts builds each Team from a named function; checked by test/program/program.spec.ts",
    },
    {
        what: "runtime/settings.js getMonitor() and waitForRPCs(); the mock monitor's registerResource(request, callback)",
        reliedOnBy: "test/kit/sdkInternals.ts, for the harness's dependencies and URNs and the benchmark",
        check: () => hasFunction("runtime/settings", "getMonitor") ?? hasFunction("runtime/settings", "waitForRPCs"),
    },
    {
        what: "runtime/resource.js registerResource(res, parent, type, name, custom, remote, newDependency, props, opts, sourcePosition, ...)",
        reliedOnBy: "test/kit/sdkInternals.ts watchConstruction(), for the benchmark's construction counts and source-position specs",
        check: () => hasFunction("runtime/resource", "registerResource"),
    },
    {
        what: "tsutils.js loadTypeScriptCompilerOptions(file), which cmd/run/run.js reads noCheck with: transpile-only when it is true",
        reliedOnBy: "tsconfig.pulumi.json (Pulumi.yaml), so that pulumi up does not type-check again; " +
            "test/docs/pulumiProject.spec.ts and the benchmark's start-up lines read the file with it",
        check: () => hasFunction("tsutils", "loadTypeScriptCompilerOptions"),
    },
    {
        what: "The wire form of a secret value (the special signature key 4dabf18193072939515e22adb298388d)",
        reliedOnBy: "test/kit/harness.ts, to tell which inputs are secret; checked by every spec that asserts a secret",
    },
];

/**
 * What no longer matches in the installed SDK, one line each; [] when everything does.
 * `promisePlaceholder`: the placeholder the program installed, or undefined when it did not
 * (PULUMI_DEBUG_PROMISE_LEAKS), in which case the traces are meant to be formatted.
 */
export function sdkMismatches(promisePlaceholder: string | undefined): string[] {
    const found: string[] = [];
    for (const internal of sdkInternals) {
        const wrong = internal.check?.();
        if (wrong) {
            found.push(`${wrong} (relied on by ${internal.reliedOnBy})`);
        }
    }
    if (promisePlaceholder !== undefined) {
        const wrong = promiseTraceSkipped(promisePlaceholder);
        if (wrong) {
            found.push(`${wrong} (relied on by ${sdkInternals[0].reliedOnBy})`);
        }
    }
    return found;
}

/** The one warning the program prints when the installed SDK does not match; undefined when it does. */
export function sdkMismatchWarning(installedVersion: string, mismatches: readonly string[]): string | undefined {
    if (mismatches.length === 0) {
        return undefined;
    }
    return `@pulumi/pulumi ${installedVersion} no longer matches what this program relies on ` +
        `(read in ${sdkVerifiedVersion}; see runtime/sdkInternals.ts):\n` + mismatches.map((m) => `  - ${m}`).join("\n");
}

/** Checks the installed SDK against the list and warns once when it does not match. */
export function warnOnSdkMismatch(promisePlaceholder: string | undefined, warn: (message: string) => void): void {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const installed = (require("@pulumi/pulumi/package.json") as { version: string }).version;
    const warning = sdkMismatchWarning(installed, sdkMismatches(promisePlaceholder));
    if (warning) {
        warn(warning);
    }
}
