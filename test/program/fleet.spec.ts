// A fleet: several clusters, one stack each, from one team list (examples/fleet). Each stack is
// the whole program as `pulumi up` runs it, with the project's config and its own stack file.
import * as assert from "assert";
import * as path from "path";
import { Created, Recording, runProgram } from "../kit/harness";
import { projectConfig, stackConfig } from "../../tools/checkStacks";

const fleetDir = path.join(__dirname, "..", "..", "examples", "fleet");
const project = projectConfig(path.join(fleetDir, "Pulumi.yaml"));
type Config = Record<string, unknown>;

/** The example stack's config, with `change` applied to the project's and the stack's keys. */
function fleetStack(stack: string, change: (config: Config) => Config = (c) => c): Config {
    return change(stackConfig(path.join(fleetDir, `Pulumi.${stack}.yaml`), project).config);
}

async function up(stack: string, config: Config): Promise<Recording> {
    const run = await runProgram(config, [], undefined, undefined, stack);
    assert.ifError(run.error);
    return run.recording;
}

const isGithub = (r: Created) => r.type.startsWith("github:");
/** What a GitHub object is on GitHub, whichever stack names it. */
function githubIdentity(r: Created): string {
    switch (r.type) {
        case "github:index/repository:Repository": return `repo ${r.inputs.name ?? r.name}`;
        case "github:index/repositoryFile:RepositoryFile": return `file ${r.inputs.repository}/${r.inputs.file}`;
        case "github:index/repositoryDeployKey:RepositoryDeployKey": return `deploy key ${r.inputs.repository} "${r.inputs.title}"`;
        default: return `${r.type} ${JSON.stringify(r.inputs)}`;
    }
}
const created = (rec: Recording) => rec.resources.filter((r) => isGithub(r) && !r.read);
const deployKeys = (rec: Recording, repo: string) =>
    rec.ofType("github:index/repositoryDeployKey:RepositoryDeployKey").filter((k) => k.inputs.repository === repo);
const teamSync = (rec: Recording, team: string) => ({
    source: rec.ofType("kubernetes:source.toolkit.fluxcd.io/v1:GitRepository").find((r) => r.inputs.metadata?.namespace === team),
    apply: rec.ofType("kubernetes:kustomize.toolkit.fluxcd.io/v1:Kustomization").find((r) => r.inputs.metadata?.namespace === team),
});
/** Every resource's name, type and inputs: what an `up` of the stack would compare. */
const state = (rec: Recording) => rec.resources.map((r) => ({ type: r.type, name: r.name, inputs: r.inputs, protect: r.protect }));

describe("A fleet: staging and production from one team list (examples/fleet)", function () {
    this.timeout(60_000);
    let staging: Recording;
    let production: Recording;

    before(async () => {
        staging = await up("staging", fleetStack("staging"));
        production = await up("production", fleetStack("production"));
    });

    it("creates each GitHub object in exactly one stack, the teams' repos and templates in the owner's", () => {
        const byIdentity = new Map<string, string[]>();
        for (const [stack, rec] of [["staging", staging], ["production", production]] as const) {
            for (const r of created(rec)) byIdentity.set(githubIdentity(r), [...byIdentity.get(githubIdentity(r)) ?? [], stack]);
        }
        const twice = [...byIdentity].filter(([, stacks]) => stacks.length > 1);
        assert.deepEqual(twice, []);
        const repos = (rec: Recording) => created(rec).filter((r) => r.type === "github:index/repository:Repository").map((r) => r.inputs.name).sort();
        assert.deepEqual(repos(production), ["production-cluster"]);
        assert.deepEqual(repos(staging).filter((r) => !r.startsWith("platform-template-")), ["dev-team1", "dev-team2", "dev-team3", "staging-cluster"]);
        assert.ok(repos(staging).some((r) => /^platform-template-staging-flux2-[0-9a-f]{8}$/.test(r)), repos(staging).join(", "));
        // Production uses the teams' repos without owning them: a read, by the name staging created.
        const read = production.resources.filter((r) => isGithub(r) && r.read);
        assert.deepEqual(read.map((r) => r.type), ["github:index/repository:Repository", "github:index/repository:Repository"]);
        assert.deepEqual(production.ofType("github:index/repositoryDeployKey:RepositoryDeployKey").map((k) => k.inputs.repository).sort(),
            ["dev-team1", "dev-team2", "production-cluster"]);
    });

    it("gives each cluster its own deploy key on each team repo, titled with the cluster", () => {
        for (const repo of ["dev-team1", "dev-team2"]) {
            const keys = [...deployKeys(staging, repo), ...deployKeys(production, repo)];
            assert.deepEqual(keys.map((k) => k.inputs.title), [`flux in namespace ${repo.slice(4)} on cluster staging`,
                `flux in namespace ${repo.slice(4)} on cluster production`]);
            assert.equal(new Set(keys.map((k) => k.inputs.key)).size, 2, "the two clusters' public keys differ");
            assert.ok(keys.every((k) => k.inputs.readOnly === true));
        }
        // Each stack's key is the public half of a keypair that stack generates itself.
        for (const rec of [staging, production]) {
            const pair = rec.get("tls:index/privateKey:PrivateKey", "platform-team-team1-repo-key");
            assert.ok(deployKeys(rec, "dev-team1")[0].dependsOn.includes(pair.name));
        }
    });

    it("syncs each team from its cluster's folder of its one repo", () => {
        for (const [cluster, rec] of [["staging", staging], ["production", production]] as const) {
            const { source, apply } = teamSync(rec, "team1");
            assert.equal(source?.inputs.spec.url, "ssh://git@github.com/org/dev-team1.git");
            assert.equal(apply?.inputs.spec.path.replace(/^\.\//, ""), cluster);
        }
        // The cluster admins' repo is each cluster's own.
        assert.match(teamSync(staging, "flux-system").source?.inputs.spec.url, /org\/staging-cluster\.git$/);
        assert.match(teamSync(production, "flux-system").source?.inputs.spec.url, /org\/production-cluster\.git$/);
    });

    it("starts each new team repo with a folder per cluster, so production's is there to merge into", () => {
        const files = created(staging).filter((r) => r.type === "github:index/repositoryFile:RepositoryFile").map((r) => r.inputs.file);
        for (const folder of ["staging", "production"]) {
            assert.ok(files.includes(`${folder}/kustomization.yaml`), files.join(", "));
        }
        const team1 = staging.get("github:index/repository:Repository", "platform-team-team1-repo-repo");
        assert.match(team1.inputs.template.repository, /^platform-template-staging-/);
    });

    it("runs a team only on the clusters it names", () => {
        assert.ok(staging.resources.some((r) => r.type === "kubernetes:core/v1:Namespace" && r.inputs.metadata.name === "team3"));
        assert.ok(!production.resources.some((r) => r.name.startsWith("platform-team-team3-")));
    });

    it("takes a stack's override of a team on its cluster only", () => {
        const cpu = (rec: Recording) => rec.get("kubernetes:core/v1:ResourceQuota", "platform-team-team2-policy-quota").inputs.spec.hard["requests.cpu"];
        assert.equal(cpu(staging), "4");
        assert.equal(cpu(production), "8");
    });

    it("keeps a team's repo on GitHub when the owner's stack lets go of it: other clusters sync it", () => {
        const repos = staging.ofType("github:index/repository:Repository").filter((r) => /^dev-team/.test(r.inputs.name));
        assert.equal(repos.length, 3);
        assert.ok(repos.every((r) => r.retainOnDelete === true));
        // Each cluster's own admins' repo is archived with its stack, as a stack of its own is.
        assert.equal(staging.get("github:index/repository:Repository", "platform-cluster-repo-repo").retainOnDelete, false);
    });

    it("offboards a team on one cluster and changes nothing of another", async () => {
        const offboarded = await up("production", fleetStack("production", (c) => ({
            ...c, "platform:teamOverrides": { ...c["platform:teamOverrides"] as Config, team1: { offboard: true } },
        })));
        const changed = state(offboarded).filter((r) => !state(production).some((p) => JSON.stringify(p) === JSON.stringify(r)));
        assert.ok(changed.length > 0 && changed.every((r) => r.name.startsWith("platform-team-team1-")), changed.map((r) => r.name).join(", "));
        assert.deepEqual(state(await up("staging", fleetStack("staging"))), state(staging));
    });

    it("removes a team from one cluster without touching its repo or the other cluster", async () => {
        const onStagingOnly = (c: Config) => ({
            ...c, "platform:teams": (c["platform:teams"] as Config[]).map((t) => t.name === "team1" ? { ...t, clusters: ["staging"] } : t),
        });
        const removed = await up("production", fleetStack("production", onStagingOnly));
        const gone = state(production).filter((p) => !state(removed).some((r) => r.name === p.name && r.type === p.type));
        assert.ok(gone.length > 0 && gone.every((r) => /^platform-team-team1(-|$)/.test(r.name)), gone.map((r) => r.name).join(", "));
        // What production deletes on GitHub is its own key; the repo it only read stays.
        const goneOnGithub = production.resources.filter((r) => isGithub(r) && gone.some((g) => g.name === r.name));
        assert.deepEqual(goneOnGithub.map((r) => [r.type, r.read]), [
            ["github:index/repository:Repository", true], ["github:index/repositoryDeployKey:RepositoryDeployKey", false],
        ]);
        assert.deepEqual(state(await up("staging", fleetStack("staging", onStagingOnly))), state(staging));
    });

    it("onboards a team added to the shared list on each cluster, adding only", async () => {
        const added = (c: Config) => ({ ...c, "platform:teams": [...c["platform:teams"] as Config[], { name: "team4" }] });
        for (const [stack, before] of [["staging", staging], ["production", production]] as const) {
            const [was, after] = [state(before), state(await up(stack, fleetStack(stack, added)))];
            const changed = was.filter((b) => !after.some((a) => JSON.stringify(a) === JSON.stringify(b))).map((b) => b.name);
            assert.deepEqual(changed, [], stack);
            const fresh = after.filter((a) => !was.some((b) => b.name === a.name && b.type === a.type));
            assert.ok(fresh.length > 0 && fresh.every((r) => /^platform-team-team4(-|$)/.test(r.name)), fresh.map((r) => r.name).join(", "));
        }
    });

    it("runs a Flux v1 team's fluxd on each cluster with a sync label of its own", async () => {
        const onFlux1 = (c: Config) => ({
            ...c, "platform:teams": (c["platform:teams"] as Config[]).map((t) => t.name === "team1" ? { ...t, engine: "flux1" } : t),
        });
        for (const cluster of ["staging", "production"]) {
            const rec = await up(cluster, fleetStack(cluster, onFlux1));
            const fluxd = rec.k8s("kubernetes:apps/v1:Deployment", "team1", "flux").inputs.spec.template.spec.containers[0];
            const args = fluxd.args as string[];
            assert.deepEqual(args.filter((a) => /^--git-(label|sync-tag|notes-ref)/.test(a)), [`--git-label=flux-${cluster}`]);
            assert.ok(args.includes(`--git-path=${cluster}`), args.join(" "));
        }
    });

    it("gives three clusters three distinct keys on each team repo, one sync folder each", async () => {
        const three = (cluster: string) => (c: Config) => ({
            ...c, "platform:fleet": { clusters: ["staging", "production", "edge"], owner: "staging" }, "platform:cluster": { name: cluster },
        });
        const runs: (readonly [string, Recording])[] = [];
        for (const cluster of ["staging", "production", "edge"]) {
            runs.push([cluster, await up(cluster, fleetStack("staging", three(cluster)))]);
        }
        const keys = runs.flatMap(([, rec]) => deployKeys(rec, "dev-team2"));
        assert.equal(new Set(keys.map((k) => k.inputs.key)).size, 3);
        assert.equal(new Set(keys.map((k) => k.inputs.title)).size, 3);
        for (const [cluster, rec] of runs) {
            assert.equal(teamSync(rec, "team2").apply?.inputs.spec.path.replace(/^\.\//, ""), cluster);
            assert.equal(created(rec).filter((r) => r.type === "github:index/repository:Repository").some((r) => r.inputs.name === "dev-team2"),
                cluster === "staging");
        }
    });
});
