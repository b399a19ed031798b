import { strict as assert } from "assert";
import { teamLabel } from "../../components/shared/names";
import { teamNamespacePodSecurity } from "../../policy/teamNamespacePodSecurity";
import { check } from "../kit/policyHarness";
import { namespace } from "./fixtures";

const policy = [teamNamespacePodSecurity];
const team = (name: string, extra: Record<string, string> = {}) =>
    namespace(name, { [teamLabel]: name, "app.kubernetes.io/part-of": "gitops-platform", ...extra });

describe("policy team-namespace-pod-security", () => {
    it("passes a team namespace that enforces a Pod Security Standard level", async () => {
        assert.deepEqual(await check([
            team("team1", { "pod-security.kubernetes.io/enforce": "baseline" }),
            team("team2", {
                "pod-security.kubernetes.io/enforce": "restricted",
                "pod-security.kubernetes.io/enforce-version": "latest",
                "pod-security.kubernetes.io/warn": "restricted",
                "pod-security.kubernetes.io/audit": "restricted",
            }),
            team("team3", { "pod-security.kubernetes.io/enforce": "privileged" }),
        ], policy), []);
    });

    it("leaves namespaces that are not a team's alone", async () => {
        assert.deepEqual(await check([namespace("flux-system", { "app.kubernetes.io/name": "flux-system" })], policy), []);
    });

    it("fails a team namespace without an enforce label, even with warn and audit", async () => {
        assert.deepEqual(await check([team("team1", { "pod-security.kubernetes.io/warn": "baseline" })], policy), [{
            policy: "team-namespace-pod-security",
            level: "mandatory",
            resource: "ns-team1",
            message: "team namespace team1 has no pod-security.kubernetes.io/enforce label: without it the cluster's " +
                "default applies, usually privileged. Set it to privileged, baseline, restricted.",
        }]);
    });

    it("fails a level that Pod Security Admission does not know, in any mode", async () => {
        const found = await check([team("team1", {
            "pod-security.kubernetes.io/enforce": "strict",
            "pod-security.kubernetes.io/audit": "Baseline",
        })], policy);
        assert.deepEqual(found.map((v) => v.message), [
            'team namespace team1 has pod-security.kubernetes.io/enforce="strict", which is not a Pod Security Standard level (privileged, baseline, restricted).',
            'team namespace team1 has pod-security.kubernetes.io/audit="Baseline", which is not a Pod Security Standard level (privileged, baseline, restricted).',
        ]);
    });
});
