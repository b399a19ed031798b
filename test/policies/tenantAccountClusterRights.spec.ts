import { strict as assert } from "assert";
import { tenantAccountClusterRights } from "../../policy/tenantAccountClusterRights";
import { check } from "../kit/policyHarness";
import { clusterRole, clusterRoleBinding, kustomization } from "./fixtures";

const policy = [tenantAccountClusterRights];
const readOnly = [{ apiGroups: [""], resources: ["namespaces"], verbs: ["get", "list", "watch"] }];
const everything = [{ apiGroups: ["*"], resources: ["*"], verbs: ["*"] }];
const tenant = { kind: "ServiceAccount", name: "flux-tenant", namespace: "team3" };

describe("policy flux2-tenant-account-no-cluster-write", () => {
    it("passes a tenant account bound cluster-wide to a read-only role, and the system sync bound to everything", async () => {
        assert.deepEqual(await check([
            kustomization("team3"),
            kustomization("flux-system", { serviceAccountName: "flux-cluster-sync" }),
            clusterRole("read", readOnly),
            clusterRoleBinding("team3-read", "read", [tenant]),
            clusterRoleBinding("cluster-sync", "cluster-admin", [{ kind: "ServiceAccount", name: "flux-cluster-sync", namespace: "flux-system" }]),
        ], policy), []);
    });

    it("fails a tenant account bound cluster-wide to a role with write verbs", async () => {
        const found = await check([
            kustomization("team3"),
            clusterRole("all", everything),
            clusterRoleBinding("team3-all", "all", [tenant]),
        ], policy);
        assert.deepEqual(found, [{
            policy: "flux2-tenant-account-no-cluster-write",
            level: "mandatory",
            resource: "binding-team3-all",
            message: "ClusterRoleBinding team3-all gives the Flux v2 tenant account team3/flux-tenant cluster-wide write rights " +
                "through ClusterRole all: * on */*. Everything the team's repo holds is applied as that account; bind it only " +
                "inside its own namespace.",
        }]);
    });

    it("fails a binding to a role the stack does not define, and reaches the account through its user name and groups", async () => {
        const found = await check([
            kustomization("team3"),
            clusterRoleBinding("admin", "cluster-admin", [{ kind: "User", name: "system:serviceaccount:team3:flux-tenant" }]),
            clusterRoleBinding("group", "cluster-admin", [{ kind: "Group", name: "system:serviceaccounts:team3" }]),
        ], policy);
        assert.deepEqual(found.map((v) => v.resource), ["binding-admin", "binding-group"]);
        assert.match(found[0].message, /^ClusterRoleBinding admin binds the Flux v2 tenant account team3\/flux-tenant to ClusterRole cluster-admin, which this stack does not define/);
    });

    it("ignores accounts no tenant Kustomization names, and the same name in another namespace", async () => {
        assert.deepEqual(await check([
            kustomization("team3"),
            clusterRole("all", everything),
            clusterRoleBinding("other", "all", [{ kind: "ServiceAccount", name: "deployer", namespace: "team3" }, { ...tenant, namespace: "team4" }]),
        ], policy), []);
    });
});
