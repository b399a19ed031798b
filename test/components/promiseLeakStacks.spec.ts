import { strict as assert } from "assert";
import { promiseStackPlaceholder, skipPromiseLeakStacks, stackTraceFormatting } from "../../runtime/promiseLeakStacks";
import { runProgram } from "../kit/harness";
import { sdkPromiseStackTrace } from "../kit/sdkInternals";
import { withTeams } from "../kit/stackConfig";

describe("promiseLeakStacks", () => {
    let saved: typeof stackTraceFormatting.prepareStackTrace;
    beforeEach(() => {
        saved = stackTraceFormatting.prepareStackTrace;
    });
    afterEach(() => {
        stackTraceFormatting.prepareStackTrace = saved;
    });

    function thrownHere(): string {
        return new Error("boom").stack ?? "";
    }

    it("does not format the stack the SDK keeps for each promise", () => {
        assert.equal(skipPromiseLeakStacks({}), true);
        assert.equal(sdkPromiseStackTrace(), promiseStackPlaceholder);
    });

    it("formats every other stack trace as before, source-mapped to the TypeScript", () => {
        skipPromiseLeakStacks({});
        const stack = thrownHere();
        assert.match(stack, /^Error: boom\n/);
        assert.match(stack, /at thrownHere \(.*[\\/]test[\\/]components[\\/]promiseLeakStacks\.spec\.ts:\d+:\d+\)/);
        assert.doesNotMatch(stack, /stack not captured/);
    });

    it("leaves everything as it is when PULUMI_DEBUG_PROMISE_LEAKS asks for the leak report", () => {
        assert.equal(skipPromiseLeakStacks({ PULUMI_DEBUG_PROMISE_LEAKS: "1" }), false);
        assert.equal(stackTraceFormatting.prepareStackTrace, saved);
        const kept = sdkPromiseStackTrace();
        assert.equal(typeof kept, "string");
        assert.match(kept as string, /at .*debuggablePromise/);
    });

    it("wraps the installed formatter once, however often the program is loaded", () => {
        skipPromiseLeakStacks({});
        const wrapped = stackTraceFormatting.prepareStackTrace;
        skipPromiseLeakStacks({});
        assert.equal(stackTraceFormatting.prepareStackTrace, wrapped);
    });

    it("formats as V8 does when no formatter was installed", () => {
        stackTraceFormatting.prepareStackTrace = undefined;
        skipPromiseLeakStacks({});
        const stack = thrownHere();
        assert.match(stack, /^Error: boom\n {4}at thrownHere \(/);
        assert.equal(sdkPromiseStackTrace(), promiseStackPlaceholder);
    });

    it("is switched on by the program before it registers anything, and only for its run", async () => {
        const run = await runProgram(withTeams(["team1"]), [], sdkPromiseStackTrace);
        assert.equal(run.error, undefined);
        assert.equal(run.probe, promiseStackPlaceholder);
        assert.equal(stackTraceFormatting.prepareStackTrace, saved);
    });

    it("captures only the top frame of the SDK's per-promise trace, and puts the frame limit back", () => {
        skipPromiseLeakStacks({});
        let frames = -1;
        stackTraceFormatting.prepareStackTrace = (error, callSites) => {
            frames = callSites.length;
            return String(error);
        };
        const limit = Error.stackTraceLimit;
        sdkPromiseStackTrace();
        assert.equal(frames, 1);
        assert.equal(Error.stackTraceLimit, limit);
        thrownHere();
        assert.ok(frames > 1, "the program's own errors keep their frames");
    });
});
