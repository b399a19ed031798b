// The Pulumi SDK wraps every promise it makes (four for each output property of each resource)
// in debuggablePromise, which formats a stack trace for it at once: `new Error().stack`. Those
// traces are read only to report leaked promises when PULUMI_DEBUG_PROMISE_LEAKS is set. Formatted
// through ts-node's source maps they are most of a preview's time and memory (about 1,100 a team),
// so unless leak debugging is on, a trace whose top frame is that SDK function is not formatted,
// and only that top frame is captured. Every other stack trace, the program's errors included, is
// formatted and captured as before.

/** Stands in for the traces not formatted; only ever printed in a leak report. */
export const promiseStackPlaceholder =
    "Error\n    (stack not captured; set PULUMI_DEBUG_PROMISE_LEAKS=1 to capture it)";

const sdkDebuggable = /[\\/]@pulumi[\\/]pulumi[\\/]runtime[\\/]debuggable\.js$/;
const installed = Symbol.for("platform.promiseLeakStacks");

/** A frame as V8 hands it to the formatter; it prints itself as V8's own traces do. */
interface CallSite extends NodeJS.CallSite {
    toString(): string;
}

/** What V8 calls to format a trace; the one installed here is marked so it is installed once. */
type PrepareStackTrace = ((error: Error, frames: CallSite[]) => unknown) & { [installed]?: true };

/** Error.prepareStackTrace as the function V8 calls (Node's typings declare it a method). */
export const stackTraceFormatting = Error as unknown as { prepareStackTrace?: PrepareStackTrace };

function isSdkPromiseTrace(frames: readonly CallSite[]): boolean {
    const top = frames[0];
    return top !== undefined && top.getFunctionName() === "debuggablePromise" && sdkDebuggable.test(top.getFileName() ?? "");
}

function formatLikeV8(error: Error, frames: readonly CallSite[]): string {
    return [String(error), ...frames.map((frame) => `    at ${frame.toString()}`)].join("\n");
}

/**
 * Stops formatting the SDK's per-promise stack traces unless PULUMI_DEBUG_PROMISE_LEAKS is set.
 * Wraps whatever formatter is installed (ts-node's source-map support under Pulumi), once.
 * Returns whether the traces are skipped.
 */
export function skipPromiseLeakStacks(env: NodeJS.ProcessEnv = process.env): boolean {
    if (env.PULUMI_DEBUG_PROMISE_LEAKS) {
        return false;
    }
    const current = stackTraceFormatting.prepareStackTrace;
    if (current?.[installed]) {
        return true;
    }
    const wrapper: PrepareStackTrace = (error, frames) => {
        if (isSdkPromiseTrace(frames)) {
            return promiseStackPlaceholder;
        }
        return current ? current(error, frames) : formatLikeV8(error, frames);
    };
    wrapper[installed] = true;
    stackTraceFormatting.prepareStackTrace = wrapper;
    captureOneFrame();
    return true;
}

type DebuggablePromise = (<T>(p: Promise<T>, ctx: unknown) => Promise<T>) & { [installed]?: true };

/**
 * V8 walks up to Error.stackTraceLimit frames for each `new Error()` even when the trace is never
 * formatted: about a third of a preview's time. The placeholder needs only the top frame, so the
 * SDK's debuggablePromise runs with a limit of one frame, put back when it returns. The wrapper
 * takes effect because the SDK calls it through its module's exports (docs/upstream.md, "The
 * SDK's promise bookkeeping"), which runtime/sdkInternals.ts checks by behaviour at start-up.
 */
function captureOneFrame(): void {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const debuggable = require("@pulumi/pulumi/runtime/debuggable") as { debuggablePromise: DebuggablePromise };
    const sdk = debuggable.debuggablePromise;
    if (sdk[installed]) {
        return;
    }
    const shallow: DebuggablePromise = function debuggablePromiseOneFrame<T>(p: Promise<T>, ctx: unknown): Promise<T> {
        const limit = Error.stackTraceLimit;
        Error.stackTraceLimit = 1;
        try {
            return sdk(p, ctx);
        } finally {
            Error.stackTraceLimit = limit;
        }
    };
    shallow[installed] = true;
    debuggable.debuggablePromise = shallow;
}
