import { strict as assert } from "assert";
import { deployKeyWrite } from "../../policy/deployKeyWrite";
import { check } from "../kit/policyHarness";
import { deployKey, fluxDeployment, fluxInstance, gitRepository } from "./fixtures";

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

    it("passes a write key on a Flux v2 repo only while the FluxInstance installs image-automation-controller", async () => {
        const instance = (components: string[]) => {
            const made = fluxInstance({ multitenant: true });
            return { ...made, props: { ...made.props, spec: { ...(made.props.spec as object), components } } };
        };
        const core = ["source-controller", "kustomize-controller", "notification-controller"];
        const stack = [gitRepository("team3", "dev-team3"), deployKey("team3", "dev-team3", false)];
        assert.deepEqual(await check([...stack, instance([...core, "image-reflector-controller", "image-automation-controller"])], policy), []);
        assert.deepEqual((await check([...stack, instance(core)], policy)).map((v) => v.message), [
            'deploy key "flux in namespace team3" on dev-team3 is write-enabled, but its Flux v2 installs no image-automation-controller and never pushes: set readOnly: true.',
        ]);
    });

    it("reads --git-readonly=false as a Flux that writes", async () => {
        assert.deepEqual(await check([
            fluxDeployment("team1", "dev-team1", { args: ["--git-url=git@github.com:org/dev-team1.git", "--git-readonly=false"] }),
            deployKey("team1", "dev-team1", false),
        ], policy), []);
    });
});
