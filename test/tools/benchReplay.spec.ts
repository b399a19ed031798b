import { strict as assert } from "assert";
import { execFileSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { RecordedRegistration } from "../../bench/recordedRegistration";

// The benchmark's floors claim to register what the program registered, minus the program: the
// same types, parents, aliases, dependencies and output properties. This replays a recorded
// two-team stack, records the replay the same way, and compares the two registration by
// registration, so that a floor that drifts from the program (a lost parent or alias makes it
// cheaper, and the headline ratio looks worse than it is; a lost dependency the reverse) fails.


const root = path.join(__dirname, "..", "..");

function record(file: string, ...args: string[]): RecordedRegistration[] {
    execFileSync(process.execPath, ["-r", "ts-node/register/transpile-only", path.join(root, "bench", "measure.ts"), ...args, "--shapes", file],
        { cwd: root, encoding: "utf8", env: { ...process.env, PULUMI_DEBUG_PROMISE_LEAKS: "" } });
    return JSON.parse(fs.readFileSync(file, "utf8")) as RecordedRegistration[];
}

describe("the benchmark's floor replays the program's registrations", function () {
    this.timeout(60000);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "bench-replay-"));
    after(() => fs.rmSync(dir, { recursive: true, force: true }));

    let program: RecordedRegistration[];
    let replay: RecordedRegistration[];
    before(() => {
        const shapes = path.join(dir, "program.json");
        program = record(shapes, "--teams", "2");
        replay = record(path.join(dir, "replay.json"), "--floor", shapes, "--in-turns");
    });

    it("under the same parents, with the same aliases, dependencies and output properties", () => {
        const stack = "pulumi:pulumi:Stack";
        // The replay names each resource after its place in the recording (r<i>); both run in a
        // Stack of their own.
        const replayedName = new Map(program.map((r, i) => [r.name, r.type === stack ? replay[0].name : `r${i}`]));
        const byName = new Map(replay.map((r) => [r.name, r]));
        assert.equal(replay.length, program.length);
        assert.ok(program.some((r) => r.aliases?.length), "the recording has aliases to compare");
        assert.ok(program.some((r) => r.dependencies?.length), "the recording has dependencies to compare");
        for (const r of program) {
            const name = replayedName.get(r.name)!;
            const replayed = byName.get(name);
            assert.ok(replayed, `${r.name} was replayed as ${name}`);
            const rename = (names: readonly string[] | undefined) => (names ?? []).map((n) => replayedName.get(n) ?? `?${n}`);
            assert.deepEqual({
                type: replayed.type, custom: replayed.custom, outputs: replayed.outputs,
                parent: replayed.parent, dependencies: [...replayed.dependencies ?? []].sort(), aliases: replayed.aliases ?? [],
            }, {
                type: r.type, custom: r.custom, outputs: r.outputs,
                parent: r.parent === undefined ? undefined : replayedName.get(r.parent), dependencies: rename(r.dependencies).sort(),
                aliases: r.aliases ?? [],
            }, r.name);
        }
    });

    it("the shared resources first, then one team's per turn, in the program's order", () => {
        const teamOf = (name: string) => /^platform-team-(team\d+)(-|$)/.exec(name)?.[1] ?? "";
        // The order the replay constructed its resources in, by the teams they stand for.
        const order = replay.slice(1).map((r) => teamOf(program[Number(r.name.slice(1))].name));
        assert.deepEqual([...new Set(order)], ["", "team001", "team002"]);
        assert.deepEqual(order, [...order].sort(), "no team's registrations interleaved with another's");
    });
});
