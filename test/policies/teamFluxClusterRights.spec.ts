import { strict as assert } from "assert";
import { teamFluxClusterRights } from "../../policy/teamFluxClusterRights";
import { check, unknownString } from "../kit/policyHarness";
import { clusterRole, clusterRoleBinding, fluxAccount } from "./fixtures";

const policy = [teamFluxClusterRights];
const readOnly = [
    { apiGroups: ["apiextensions.k8s.io"], resources: ["customresourcedefinitions"], verbs: ["list", "watch"] },
    { apiGroups: [""], resources: ["namespaces"], verbs: ["get", "list"] },
];
const everything = [{ apiGroups: ["*"], resources: ["*"], verbs: ["*"] }];

describe("policy team-flux-no-cluster-write", () => {
    it("passes a team's Flux bound to a read-only ClusterRole, and the system Flux bound to everything", async () => {
        assert.deepEqual(await check([
            clusterRole("team1-read", readOnly),
            clusterRoleBinding("team1-read", "team1-read", [fluxAccount("team1")]),
            clusterRole("system", everything),
            clusterRoleBinding("system", "system", [fluxAccount("flux-system")]),
        ], policy), []);
    });

    it("fails a team's Flux bound to a ClusterRole with any verb beyond get, list and watch", async () => {
        const found = await check([
            clusterRole("sneaky", [...readOnly, { apiGroups: ["apps"], resources: ["deployments"], verbs: ["get", "patch", "delete"] }]),
            clusterRoleBinding("team1-sneaky", "sneaky", [fluxAccount("team1")]),
        ], policy);
        assert.deepEqual(found, [{
            policy: "team-flux-no-cluster-write",
            level: "mandatory",
            resource: "binding-team1-sneaky",
            message: "ClusterRoleBinding team1-sneaky gives the Flux of team1 cluster-wide write rights through ClusterRole " +
                "sneaky: patch,delete on apps/deployments. A team's Flux may write only in its own namespace, through a " +
                "Role and RoleBinding there.",
        }]);
    });

    it("counts * as a write verb and reaches team Flux through groups and user names too", async () => {
        const found = await check([
            clusterRole("all", everything),
            clusterRoleBinding("wide", "all", [
                fluxAccount("flux-system"),
                { kind: "Group", name: "system:serviceaccounts:team2" },
                { kind: "User", name: "system:serviceaccount:team3:flux" },
            ]),
        ], policy);
        assert.equal(found.length, 1);
        assert.match(found[0].message, /^ClusterRoleBinding wide gives the Flux of team2, team3 cluster-wide write rights through ClusterRole all: \* on \*\/\*\./);
    });

    it("fails a binding to a ClusterRole the stack does not define, such as cluster-admin", async () => {
        const found = await check([clusterRoleBinding("team1-admin", "cluster-admin", [fluxAccount("team1")])], policy);
        assert.deepEqual(found.map((v) => v.message), [
            "ClusterRoleBinding team1-admin binds the Flux of team1 to ClusterRole cluster-admin, which this stack does not " +
            "define, so nothing shows it is read-only; bind a team's Flux only to a read-only ClusterRole the platform defines.",
        ]);
    });

    it("fails an aggregated ClusterRole, whose rules the stack cannot see", async () => {
        const aggregated = clusterRole("aggregated", []);
        const found = await check([
            { ...aggregated, props: { ...aggregated.props, aggregationRule: { clusterRoleSelectors: [{ matchLabels: { x: "y" } }] } } },
            clusterRoleBinding("team1-aggregated", "aggregated", [fluxAccount("team1")]),
        ], policy);
        assert.match(found[0].message, /through ClusterRole aggregated: rules aggregated from other cluster roles, which cannot be checked/);
    });

    it("finds the ClusterRole through the binding's dependency when its name is not known yet", async () => {
        const binding = clusterRoleBinding("team1", "later", [fluxAccount("team1")]);
        const found = await check([
            clusterRole("team1", everything),
            { ...binding, props: { ...binding.props, roleRef: { kind: "ClusterRole", name: unknownString } }, propertyDependencies: { roleRef: ["role-team1"] } },
        ], policy);
        assert.equal(found.length, 1);
        assert.match(found[0].message, /gives the Flux of team1 cluster-wide write rights through ClusterRole team1: \*/);
    });

    it("ignores bindings of other accounts", async () => {
        assert.deepEqual(await check([
            clusterRole("all", everything),
            clusterRoleBinding("ops", "all", [{ kind: "ServiceAccount", name: "deployer", namespace: "team1" }, { kind: "Group", name: "ops" }]),
        ], policy), []);
    });
});
