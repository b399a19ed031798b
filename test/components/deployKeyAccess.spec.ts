import { strict as assert } from "assert";
import { fluxV1Writes } from "../../components/engines/flux1/fluxV1";
import { runProgram } from "../kit/harness";

const settings = { image: "docker.io/fluxcd/flux:1.25.4", gitPollInterval: "5m", syncInterval: "5m" };

describe("deploy key access follows what Flux does with the repo", () => {
    it("a Flux v1 pushes unless --git-readonly is among its args", () => {
        assert.equal(fluxV1Writes({ ...settings, args: [] }), true);
        assert.equal(fluxV1Writes({ ...settings, args: ["--sync-garbage-collection"] }), true);
        assert.equal(fluxV1Writes({ ...settings, args: ["--git-readonly"] }), false);
        assert.equal(fluxV1Writes({ ...settings, args: ["--git-readonly=true"] }), false);
        assert.equal(fluxV1Writes({ ...settings, args: ["--git-readonly=false"] }), true);
        assert.equal(fluxV1Writes({ ...settings, args: ["--git-readonly", "--git-readonly=false"] }), true);
    });

    it("a team whose Flux runs with --git-readonly gets a read-only deploy key; the others keep write access", async () => {
        const run = await runProgram({
            "github:owner": "org",
            "platform:teams": [{ name: "team1" }, { name: "team2", flux: { args: ["--git-readonly"] } }],
        });
        assert.equal(run.error, undefined);
        const readOnly = Object.fromEntries(run.recording.ofType("github:index/repositoryDeployKey:RepositoryDeployKey")
            .map((k) => [k.inputs.repository, k.inputs.readOnly]));
        assert.deepEqual(readOnly, { "dev-cluster": false, "dev-team1": false, "dev-team2": true });
        const args: string[] = run.recording.k8s("kubernetes:apps/v1:Deployment", "team2", "flux").inputs.spec.template.spec.containers[0].args;
        assert.ok(args.includes("--git-readonly"));
    });
});
