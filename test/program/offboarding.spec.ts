// A team leaves in two steps: `offboard: true` lifts the protection and stops its sync, then
// removing the entry deletes it. Without the first step, an `up` without the entry, or a
// `pulumi destroy`, deletes nothing: not the namespace, not its fence, not its sync or repo.
import { strict as assert } from "assert";
import { engineDeletes } from "../kit/engineDeletes";
import { ProgramRun, runProgram } from "../kit/harness";
import { compare } from "../kit/runDiff";
import { stackFile } from "../kit/stackConfig";

const owner = { "github:owner": "org" };
const types = {
    namespace: "kubernetes:core/v1:Namespace",
    deployment: "kubernetes:apps/v1:Deployment",
    gitRepository: "kubernetes:source.toolkit.fluxcd.io/v1:GitRepository",
    kustomization: "kubernetes:kustomize.toolkit.fluxcd.io/v1:Kustomization",
    stash: "pulumi:index:Stash",
};

type Entry = Record<string, unknown> & { name: string };
const stack = (teams: Entry[]) => ({ ...owner, "platform:teams": teams });
const teamOwn = (team: string) => new RegExp(`::platform-team-${team}(-|$)`);

async function run(teams: Entry[]): Promise<ProgramRun> {
    const result = await runProgram(stack(teams));
    assert.equal(result.error, undefined, result.error?.message);
    return result;
}

describe("team namespaces are protected", function () {
    this.timeout(60_000);

    it("every team namespace of the example stack, and every team's guard and the platform's", async () => {
        const example = await runProgram(stackFile("migration"));
        assert.equal(example.error, undefined);
        const namespaces = example.recording.ofType(types.namespace).filter((n) => n.name.startsWith("platform-team-"));
        assert.deepEqual(namespaces.map((n) => [n.inputs.metadata.name, n.protect]), [["team1", true], ["team2", true], ["team3", true]]);
        assert.deepEqual(example.recording.ofType(types.stash).map((s) => [s.name, s.protect]).sort(), [
            ["platform-offboard-teams-first", true],
            ["platform-team-team1-offboard-first", true],
            ["platform-team-team2-offboard-first", true],
            ["platform-team-team3-offboard-first", true],
        ]);
    });

    it("each team's guard depends on every part of the team, and the platform's on every team's guard", async () => {
        const both = await run([{ name: "team1" }, { name: "team2" }]);
        const guard = both.recording.get(types.stash, "platform-team-team2-offboard-first");
        const parts = both.recording.resources.filter((r) => r.type !== types.stash && teamOwn("team2").test(`::${r.name}`) &&
            !r.type.startsWith("platform:index:"));
        assert.ok(parts.length > 10, `only ${parts.length} parts`);
        assert.deepEqual(parts.filter((p) => !guard.dependsOn.includes(p.name)).map((p) => p.name), []);
        const platformGuard = both.recording.get(types.stash, "platform-offboard-teams-first");
        for (const name of ["platform-team-team1-offboard-first", "platform-team-team2-offboard-first", "platform-tenant-guard-team-namespaces-policy"]) {
            assert.ok(platformGuard.dependsOn.includes(name), name);
        }
    });
});

describe("offboarding a team (offboard: true)", function () {
    this.timeout(60_000);

    for (const engine of ["flux1", "flux2"]) {
        describe(`on ${engine}`, () => {
            let both: ProgramRun;
            let offboarding: ProgramRun;
            before(async () => {
                both = await run([{ name: "team1", engine }, { name: "team2", engine }]);
                offboarding = await run([{ name: "team1", engine }, { name: "team2", engine, offboard: true }]);
            });

            it("lifts the protection of the team's namespace and guard, and only those", () => {
                const protectedOnes = (r: ProgramRun) => r.recording.resources.filter((x) => x.protect).map((x) => x.name).sort();
                assert.deepEqual(protectedOnes(offboarding), protectedOnes(both).filter((name) =>
                    !["platform-team-team2-namespace", "platform-team-team2-offboard-first"].includes(name)));
                assert.equal(offboarding.recording.k8s(types.namespace, undefined, "team2").protect, false);
                assert.equal(offboarding.recording.k8s(types.namespace, undefined, "team1").protect, true);
                // Another team is still there: the platform stays protected against a destroy.
                assert.equal(offboarding.recording.get(types.stash, "platform-offboard-teams-first").protect, true);
            });

            it("stops the team's sync, changes nothing else of the team and nothing of any other resource", () => {
                const expected = engine === "flux1"
                    ? { [`${types.deployment}::platform-team-team2-flux-deployment`]: [".spec.replicas"] }
                    : {
                        [`${types.gitRepository}::platform-team-team2-flux-source`]: [".spec.suspend"],
                        [`${types.kustomization}::platform-team-team2-flux-kustomization`]: [".spec.suspend"],
                    };
                const diff = compare(both, offboarding);
                assert.deepEqual(diff, { removed: [], added: [], changed: expected });
                if (engine === "flux1") {
                    assert.equal(offboarding.recording.k8s(types.deployment, "team2", "flux").inputs.spec.replicas, 0);
                    assert.equal(offboarding.recording.k8s(types.deployment, "team1", "flux").inputs.spec.replicas, 1);
                } else {
                    for (const type of [types.gitRepository, types.kustomization]) {
                        assert.equal(offboarding.recording.k8s(type, "team2", "gitops-platform").inputs.spec.suspend, true);
                        assert.equal(offboarding.recording.k8s(type, "team1", "gitops-platform").inputs.spec.suspend, undefined);
                    }
                }
            });
        });
    }
});

describe("removing a team's entry", function () {
    this.timeout(60_000);
    let both: ProgramRun;
    let offboarding: ProgramRun;
    let one: ProgramRun;
    before(async () => {
        both = await run([{ name: "team1" }, { name: "team2" }]);
        offboarding = await run([{ name: "team1" }, { name: "team2", offboard: true }]);
        one = await run([{ name: "team1" }]);
    });

    it("without offboarding first: the engine refuses the team's guard and deletes nothing", () => {
        const deletes = engineDeletes(both, one);
        assert.deepEqual(deletes.refused, [`${types.stash}::platform-team-team2-offboard-first`]);
        assert.deepEqual(deletes.deleted, []);
        // The refusal names the team: its URN holds platform-team-team2.
        assert.ok(deletes.spared.includes(`${types.namespace}::platform-team-team2-namespace`));
        assert.ok(deletes.spared.includes("kubernetes:core/v1:ResourceQuota::platform-team-team2-policy-quota"));
    });

    it("after offboarding: deletes every resource of that team and nothing else, the namespace after its fence", () => {
        const deletes = engineDeletes(offboarding, one);
        assert.deepEqual(deletes.refused, []);
        assert.deepEqual(deletes.spared, []);
        assert.deepEqual(deletes.deleted.filter((id) => !teamOwn("team2").test(id)), []);
        assert.deepEqual([...deletes.deleted].sort(), compare(one, offboarding).added.sort());
        const at = (id: string) => deletes.deleted.indexOf(id);
        const namespace = at(`${types.namespace}::platform-team-team2-namespace`);
        for (const fence of ["kubernetes:core/v1:ResourceQuota::platform-team-team2-policy-quota",
            "kubernetes:networking.k8s.io/v1:NetworkPolicy::platform-team-team2-policy-network",
            "kubernetes:core/v1:LimitRange::platform-team-team2-policy-limits"]) {
            assert.ok(at(fence) >= 0 && at(fence) < namespace, `${fence} is deleted before the namespace`);
        }
    });
});

describe("pulumi destroy", function () {
    this.timeout(60_000);
    let nothing: ProgramRun;
    before(async () => {
        // A destroy is an update whose program registers nothing.
        nothing = await run([]);
        nothing = { ...nothing, recording: { ...nothing.recording, resources: [] } as unknown as ProgramRun["recording"] };
    });

    for (const engine of ["flux1", "flux2"]) {
        it(`deletes nothing while a team is not offboarded: the platform's guard is refused first (${engine})`, async () => {
            const deletes = engineDeletes(await run([{ name: "team1", engine, offboard: true }, { name: "team2", engine }]), nothing);
            assert.deepEqual(deletes.refused, [`${types.stash}::platform-offboard-teams-first`]);
            assert.deepEqual(deletes.deleted, []);
        });
    }

    it("deletes everything once every team is offboarded, each namespace before the TeamGuard", async () => {
        const before = await run([{ name: "team1", offboard: true }, { name: "team2", offboard: true }]);
        const deletes = engineDeletes(before, nothing);
        assert.deepEqual(deletes.refused, []);
        assert.equal(deletes.deleted.length, before.recording.resources.length);
        // Not by chance of the schedule's depths: each namespace depends on the TeamGuard's policies.
        for (const team of ["team1", "team2"]) {
            const namespace = before.recording.k8s(types.namespace, undefined, team);
            assert.ok(namespace.dependsOn.includes("platform-tenant-guard-team-namespaces-policy"), namespace.dependsOn.join(", "));
        }
        const at = (id: string) => deletes.deleted.indexOf(id);
        const guard = at("kubernetes:admissionregistration.k8s.io/v1:ValidatingAdmissionPolicy::platform-tenant-guard-team-namespaces-policy");
        for (const team of ["team1", "team2"]) {
            assert.ok(at(`${types.namespace}::platform-team-${team}-namespace`) < guard, `${team}'s namespace goes before the TeamGuard`);
        }
    });
});
