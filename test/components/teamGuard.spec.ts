import { strict as assert } from "assert";
import { TeamGuard } from "../../components/fence/teamGuard";
import { fluxV1Admission } from "../../components/engines/flux1/admission";
import * as cel from "../../components/fence/teamGuardCel";

const engines = [fluxV1Admission];
const platformObjectsCel = cel.platformObjectsCel(engines);
const restrictedPodCel = cel.restrictedPodCel(engines);
const teamNamespaceCel = cel.teamNamespaceCel(engines);
import { record, Recording } from "../kit/harness";

const vap = "kubernetes:admissionregistration.k8s.io/v1:ValidatingAdmissionPolicy";
const binding = "kubernetes:admissionregistration.k8s.io/v1:ValidatingAdmissionPolicyBinding";

describe("TeamGuard", () => {
    let recording: Recording;
    before(async () => {
        recording = (await record(() => new TeamGuard("guard", { engines }))).recording;
    });

    it("binds each of its four policies to deny, failing closed (five with the installs' own kinds)", async () => {
        const names = recording.ofType(vap).map((p) => p.inputs.metadata.name).sort();
        assert.deepEqual(names, ["gitops-platform-objects", "gitops-platform-restricted-pods", "gitops-platform-team-bindings", "gitops-platform-team-namespaces"]);
        for (const policy of recording.ofType(vap)) {
            assert.equal(policy.inputs.spec.failurePolicy, "Fail");
            const bound = recording.ofType(binding).filter((b) => b.inputs.spec.policyName === policy.inputs.metadata.name);
            assert.equal(bound.length, 1);
            assert.deepEqual(bound[0].inputs.spec.validationActions, ["Deny"]);
        }
        const kinds = ["fluxinstances.fluxcd.controlplane.io", "configs.config.gatekeeper.sh", "fluxreports.fluxcd.controlplane.io"];
        const withKinds = (await record(() => new TeamGuard("guard", { engines, platformKinds: kinds }))).recording;
        const policy = withKinds.get(vap, "guard-platform-kinds-policy").inputs;
        assert.equal(policy.metadata.name, "gitops-platform-kinds");
        assert.equal(policy.spec.failurePolicy, "Fail");
        assert.deepEqual(policy.spec.matchConstraints.resourceRules, [
            { apiGroups: ["config.gatekeeper.sh"], apiVersions: ["*"], resources: ["configs", "configs/*"], operations: ["CREATE", "UPDATE"], scope: "Namespaced" },
            { apiGroups: ["fluxcd.controlplane.io"], apiVersions: ["*"], resources: ["fluxinstances", "fluxinstances/*", "fluxreports", "fluxreports/*"], operations: ["CREATE", "UPDATE"], scope: "Namespaced" },
        ]);
        assert.deepEqual(policy.spec.matchConstraints.namespaceSelector, { matchExpressions: [{ key: "gitops-platform/team", operator: "Exists" }] });
        assert.equal(withKinds.get(binding, "guard-platform-kinds-binding").inputs.spec.validationActions[0], "Deny");
    });

    it("guards every namespaced object of every team namespace and their subresources, found by label, not by name", () => {
        const spec = recording.get(vap, "guard-platform-objects-policy").inputs.spec;
        assert.deepEqual(spec.matchConstraints.namespaceSelector,
            { matchExpressions: [{ key: "gitops-platform/team", operator: "Exists" }] });
        assert.deepEqual(spec.matchConstraints.resourceRules, [{
            apiGroups: ["*"], apiVersions: ["*"], resources: ["*/*"], operations: ["CREATE", "UPDATE", "DELETE", "CONNECT"], scope: "Namespaced",
        }]);
        assert.deepEqual(spec.matchConditions, platformObjectsCel.matchConditions);
        assert.deepEqual(spec.variables, platformObjectsCel.variables);
        assert.deepEqual(spec.validations, platformObjectsCel.validations.map((v) => ({ ...v, reason: "Forbidden" })));
    });

    it("guards every Namespace with its subresources, by no namespaceSelector, which an update would match against the new labels", () => {
        const spec = recording.get(vap, "guard-team-namespaces-policy").inputs.spec;
        assert.deepEqual(spec.matchConstraints, {
            resourceRules: [{ apiGroups: [""], apiVersions: ["v1"], resources: ["namespaces", "namespaces/*"], operations: ["UPDATE", "DELETE"] }],
        });
        assert.deepEqual(spec.matchConditions, teamNamespaceCel.matchConditions);
        assert.deepEqual(spec.validations, teamNamespaceCel.validations.map((v) => ({ ...v, reason: "Forbidden" })));
    });

    it("judges the team's own RoleBindings in every team namespace, found by label (the platform's are the platform-objects policy's)", () => {
        const spec = recording.get(vap, "guard-team-bindings-policy").inputs.spec;
        assert.deepEqual(spec.matchConstraints, {
            namespaceSelector: { matchExpressions: [{ key: "gitops-platform/team", operator: "Exists" }] },
            objectSelector: { matchExpressions: [{ key: "app.kubernetes.io/part-of", operator: "NotIn", values: ["gitops-platform"] }] },
            resourceRules: [{ apiGroups: ["rbac.authorization.k8s.io"], apiVersions: ["*"], resources: ["rolebindings"], operations: ["CREATE", "UPDATE"] }],
        });
        assert.deepEqual(spec.matchConditions, [cel.judgedCondition]);
    });

    it("judges new pods only in namespaces whose team asked for restricted", () => {
        const spec = recording.get(vap, "guard-restricted-pods-policy").inputs.spec;
        assert.deepEqual(spec.matchConstraints.namespaceSelector, {
            matchExpressions: [
                { key: "gitops-platform/team", operator: "Exists" },
                { key: "gitops-platform/pod-security", operator: "In", values: ["restricted"] },
            ],
        });
        assert.deepEqual(spec.matchConstraints.resourceRules, [
            { apiGroups: [""], apiVersions: ["v1"], resources: ["pods"], operations: ["CREATE"] },
            { apiGroups: [""], apiVersions: ["v1"], resources: ["pods/ephemeralcontainers"], operations: ["UPDATE"] },
        ]);
        assert.deepEqual(spec.matchConditions, restrictedPodCel.matchConditions);
        assert.deepEqual(spec.validations, restrictedPodCel.validations.map((v) => ({ ...v, reason: "Forbidden" })));
    });
});
