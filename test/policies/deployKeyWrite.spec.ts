import { strict as assert } from "assert";
import { deployKeyWrite } from "../../policy/deployKeyWrite";
import { check } from "../policyHarness";
import { deployKey, fluxDeployment } from "./fixtures";

const policy = [deployKeyWrite];

describe("policy deploy-key-write-only-where-flux-writes", () => {
    it("passes a write key on a repo a Flux syncs without --git-readonly, and read-only keys anywhere", async () => {
        assert.deepEqual(await check([
            fluxDeployment("team1", "dev-team1"),
            deployKey("team1", "dev-team1", false),
            fluxDeployment("team2", "Dev-Team2", { args: ["--git-url=ssh://git@github.com/org/Dev-Team2.git", "--git-readonly"] }),
            deployKey("team2", "dev-team2", true),
            deployKey("audit", "dev-audit", undefined),
        ], policy), []);
    });

    it("fails a write key on a repo whose Flux runs with --git-readonly", async () => {
        const found = await check([
            fluxDeployment("team2", "dev-team2", { args: ["--git-url=git@github.com:org/dev-team2.git", "--git-readonly=true"] }),
            deployKey("team2", "dev-team2", false),
        ], policy);
        assert.deepEqual(found, [{
            policy: "deploy-key-write-only-where-flux-writes",
            level: "mandatory",
            resource: "key-team2",
            message: 'deploy key "flux in namespace team2" on dev-team2 is write-enabled, but Flux team2/flux syncs it ' +
                "with --git-readonly and never pushes: set readOnly: true.",
        }]);
    });

    it("fails a write key on a repo no Flux of the stack syncs", async () => {
        const found = await check([fluxDeployment("team1", "dev-team1"), deployKey("ci", "dev-tools", false)], policy);
        assert.deepEqual(found.map((v) => v.message), [
            'deploy key "flux in namespace ci" on dev-tools is write-enabled, but no Flux of this stack syncs dev-tools: set readOnly: true.',
        ]);
    });

    it("reads --git-readonly=false as a Flux that writes", async () => {
        assert.deepEqual(await check([
            fluxDeployment("team1", "dev-team1", { args: ["--git-url=git@github.com:org/dev-team1.git", "--git-readonly=false"] }),
            deployKey("team1", "dev-team1", false),
        ], policy), []);
    });
});
