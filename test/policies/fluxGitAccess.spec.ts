import { strict as assert } from "assert";
import { fluxGitAccess } from "../../policy/fluxGitAccess";
import { check } from "../kit/policyHarness";
import { fluxDeployment } from "./fixtures";

const policy = [fluxGitAccess];

describe("policy flux-git-secret-and-known-hosts", () => {
    it("passes a Flux that mounts its git secret at /etc/fluxd/ssh and a known_hosts at /root/.ssh", async () => {
        assert.deepEqual(await check([fluxDeployment("team1", "dev-team1")], policy), []);
    });

    it("follows --k8s-secret-name and --k8s-secret-volume-mount-path, and a known_hosts mounted by subPath", async () => {
        assert.deepEqual(await check([fluxDeployment("team1", "dev-team1", {
            args: ["--git-url=git@github.com:org/dev-team1", "--k8s-secret-name", "team1-git", "--k8s-secret-volume-mount-path=/keys"],
            volumes: [{ name: "key", secret: { secretName: "team1-git" } }, { name: "hosts", configMap: { name: "hosts" } }],
            mounts: [{ name: "key", mountPath: "/keys" }, { name: "hosts", mountPath: "/root/.ssh/known_hosts", subPath: "known_hosts" }],
        })], policy), []);
    });

    it("fails a Flux whose mounted secret is not the one its flag names", async () => {
        const found = await check([fluxDeployment("team1", "dev-team1", {
            args: ["--git-url=git@github.com:org/dev-team1", "--k8s-secret-name=team1-git"],
        })], policy);
        assert.deepEqual(found, [{
            policy: "flux-git-secret-and-known-hosts",
            level: "mandatory",
            resource: "flux-team1",
            message: "Deployment team1/flux does not mount Secret team1-git (its --k8s-secret-name) at /etc/fluxd/ssh: " +
                "fluxd would generate a key of its own that no deploy key matches.",
        }]);
    });

    it("fails a Flux without known_hosts, or whose /root/.ssh volume leaves known_hosts out", async () => {
        const gitKeyOnly = {
            volumes: [{ name: "git-key", secret: { secretName: "flux-git-deploy" } }],
            mounts: [{ name: "git-key", mountPath: "/etc/fluxd/ssh" }],
        };
        const otherFile = {
            volumes: [...gitKeyOnly.volumes, { name: "ssh", configMap: { name: "c", items: [{ key: "config", path: "config" }] } }],
            mounts: [...gitKeyOnly.mounts, { name: "ssh", mountPath: "/root/.ssh" }],
        };
        const found = await check([fluxDeployment("team1", "dev-team1", gitKeyOnly), fluxDeployment("team2", "dev-team2", otherFile)], policy);
        assert.deepEqual(found.map((v) => [v.resource, v.message]), [
            ["flux-team1", "Deployment team1/flux mounts no known_hosts at /root/.ssh: fluxd would trust only the host keys in its image and refuse GitHub's current keys."],
            ["flux-team2", "Deployment team2/flux mounts no known_hosts at /root/.ssh: fluxd would trust only the host keys in its image and refuse GitHub's current keys."],
        ]);
    });

    it("fails a Deployment named flux that runs no fluxd, and ignores other Deployments", async () => {
        const notFlux = fluxDeployment("team1", "dev-team1", { args: [] });
        (notFlux.props.spec as any).template.spec.containers[0].name = "app";
        const other = fluxDeployment("team2", "dev-team2", { mounts: [] });
        (other.props.metadata as any).name = "web";
        const found = await check([notFlux, other], policy);
        assert.deepEqual(found.map((v) => v.message), ["Deployment team1/flux has no fluxd container (none has --git-url or is named flux)."]);
    });
});
