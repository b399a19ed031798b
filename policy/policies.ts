// The platform's invariants, each one policy. index.ts serves them as the pack; specs run them
// on synthetic resources and on the whole program.
import { Policies } from "@pulumi/policy";
import { deployKeyWrite } from "./deployKeyWrite";
import { fluxGitAccess } from "./fluxGitAccess";
import { multitenantLockdown } from "./multitenantLockdown";
import { secretValues } from "./secretValues";
import { tenantAccountClusterRights } from "./tenantAccountClusterRights";
import { tenantKustomizationAccount } from "./tenantKustomizationAccount";
import { teamFluxClusterRights } from "./teamFluxClusterRights";
import { teamNamespacePodSecurity } from "./teamNamespacePodSecurity";

export const policies: Policies = [
    teamFluxClusterRights,
    teamNamespacePodSecurity,
    fluxGitAccess,
    deployKeyWrite,
    secretValues,
    tenantKustomizationAccount,
    multitenantLockdown,
    tenantAccountClusterRights,
];
