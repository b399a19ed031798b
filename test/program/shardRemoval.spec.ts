// Removing a Flux v2 team with dedicated controllers (its shard of the FluxInstance), in the steps
// docs/operations.md gives, through the model of what the Flux Operator and Flux's controllers do
// around finalizers while the engine deletes (test/kit/fluxFinalizers.ts).
import { strict as assert } from "assert";
import { fluxUp, teamRepoObjects } from "../kit/fluxFinalizers";
import { ProgramRun, Recording, runProgram } from "../kit/harness";
import { compare } from "../kit/runDiff";

type Entry = Record<string, unknown> & { name: string };
const stack = (teams: Entry[], flux2: Record<string, unknown> = {}) =>
    ({ "github:owner": "org", "platform:engine": "flux2", "platform:flux2": flux2, "platform:teams": teams });

async function run(teams: Entry[], flux2: Record<string, unknown> = {}): Promise<ProgramRun> {
    const result = await runProgram(stack(teams, flux2));
    assert.equal(result.error, undefined, result.error?.message);
    return result;
}

const team1 = { name: "team1" };
const dedicated = (extra: Record<string, unknown> = {}) => ({ name: "team2", flux: { dedicatedControllers: true }, ...extra });
const fluxInstance = "kubernetes:fluxcd.controlplane.io/v1:FluxInstance::platform-flux2-instance";

describe("removing a Flux v2 team with dedicated controllers (docs/operations.md, Offboarding a team)", function () {
    this.timeout(60_000);
    let onShard: ProgramRun;
    let offboarded: ProgramRun;
    before(async () => {
        onShard = await run([team1, dedicated()]);
        offboarded = await run([team1, dedicated({ offboard: true })]);
    });

    it("step 1 warns that step 2 must retire the shard, and only for the offboarded team with dedicated controllers", () => {
        assert.deepEqual(onShard.recording.logs.filter((l) => l.startsWith("warning:")), []);
        assert.deepEqual(offboarded.recording.logs.filter((l) => l.startsWith("warning:")), [
            "warning: team2 is offboarded and has dedicated controllers: remove its entry in the same change that adds \"team2\" to " +
            "platform:flux2.retiredShards, or the same up removes the controllers that alone finalize its Flux objects and its namespace " +
            "is never deleted (docs/operations.md, \"Offboarding a team\").",
        ]);
    });

    it("step 1 keeps the shard: nothing is deleted, every controller stays", () => {
        const up = fluxUp(onShard, offboarded, teamRepoObjects(onShard, "team2"));
        assert.deepEqual(up.deleted, []);
        assert.deepEqual(up.stuck, []);
        assert.ok(up.controllers.includes("kustomize-controller-team2"), up.controllers.join(", "));
    });

    it("removing the entry alone hangs: the shard's controllers go first, and no one removes the finalizers of the team's Flux objects", async () => {
        const removed = await run([team1]);
        const up = fluxUp(offboarded, removed, teamRepoObjects(onShard, "team2"));
        assert.ok(!up.controllers.some((c) => c.endsWith("-team2")), up.controllers.join(", "));
        assert.deepEqual(up.stuck.map((s) => s.resource).sort(), [
            "kubernetes:kustomize.toolkit.fluxcd.io/v1:Kustomization::platform-team-team2-flux-kustomization",
        ]);
        assert.match(up.stuck[0].why, /kustomize-controller-team2, which does not run/);
        assert.ok(up.notReached.includes("kubernetes:core/v1:Namespace::platform-team-team2-namespace"));
    });

    describe("step 2 names the shard in platform:flux2.retiredShards", () => {
        let retired: ProgramRun;
        let after: ProgramRun;
        before(async () => {
            retired = await run([team1], { retiredShards: ["team2"] });
            after = await run([team1]);
        });

        it("the team's objects and namespace go while the shard's controllers still run", () => {
            const up = fluxUp(offboarded, retired, teamRepoObjects(onShard, "team2"));
            assert.deepEqual(up.stuck, []);
            assert.deepEqual(up.notReached, []);
            assert.ok(up.deleted.includes("kubernetes:core/v1:Namespace::platform-team-team2-namespace"));
            assert.ok(up.controllers.includes("helm-controller-team2"), up.controllers.join(", "));
        });

        it("keeps the FluxInstance as it was: the same shard, at the defaults (a team's own sizes leave with its entry)", () => {
            const diff = compare(offboarded, retired);
            assert.deepEqual(diff.changed[fluxInstance], undefined);
            assert.deepEqual(retired.recording.get("kubernetes:fluxcd.controlplane.io/v1:FluxInstance", "platform-flux2-instance").inputs.spec.sharding,
                { key: "sharding.fluxcd.io/key", shards: ["team2"] });
        });

        it("the next up, without the name, removes the shard and deletes nothing", () => {
            const up = fluxUp(retired, after);
            assert.deepEqual(up.deleted, []);
            assert.deepEqual(up.stuck, []);
            assert.ok(!up.controllers.some((c) => c.endsWith("-team2")), up.controllers.join(", "));
            assert.deepEqual(Object.keys(compare(retired, after).changed), [fluxInstance]);
        });
    });

    it("moving such a team back to Flux v1 deletes its Flux v2 objects: the same hang, and the same retirement ends it", async () => {
        const back = { name: "team2", engine: "flux1" };
        const alone = fluxUp(onShard, await run([team1, back]), teamRepoObjects(onShard, "team2"));
        assert.deepEqual(alone.stuck.map((s) => s.resource), ["kubernetes:kustomize.toolkit.fluxcd.io/v1:Kustomization::platform-team-team2-flux-kustomization"]);
        const retiring = fluxUp(onShard, await run([team1, back], { retiredShards: ["team2"] }), teamRepoObjects(onShard, "team2"));
        assert.deepEqual(retiring.stuck, []);
        assert.ok(retiring.deleted.includes("kubernetes:kustomize.toolkit.fluxcd.io/v1:Kustomization::platform-team-team2-flux-kustomization"));
    });

    it("a team on the shared controllers leaves in two steps as before: nothing hangs", async () => {
        const both = await run([team1, { name: "team2" }]);
        const leaving = await run([team1, { name: "team2", offboard: true }]);
        const up = fluxUp(leaving, await run([team1]), teamRepoObjects(both, "team2"));
        assert.deepEqual(up.stuck, []);
        assert.ok(up.deleted.includes("kubernetes:core/v1:Namespace::platform-team-team2-namespace"));
    });

    it("pulumi destroy of an offboarded stack with a shard: the operator's uninstall takes every finalizer off", async () => {
        const all = await run([{ ...team1, offboard: true }, dedicated({ offboard: true })]);
        const nothing: ProgramRun = { ...all, recording: new Recording([]) };
        const up = fluxUp(all, nothing, [...teamRepoObjects(onShard, "team2"), ...teamRepoObjects(all, "team1")]);
        assert.deepEqual(up.stuck, []);
        assert.equal(up.deleted.length, all.recording.resources.length);
    });
});
