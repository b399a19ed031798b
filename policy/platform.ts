// What the policies know about the platform: the names and labels the program gives its objects.
// The pack runs on its own (`pulumi preview --policy-pack policy`), so it cannot import the
// program; a spec checks these against components/.

/** On a team's namespace and everything the platform puts in it (components/shared/names.ts). */
export const teamLabel = "gitops-platform/team";
/** Where the system Flux, the one instance allowed cluster-wide rights, runs. */
export const systemNamespace = "flux-system";
/** The name of every Flux instance's Deployment and ServiceAccount. */
export const fluxName = "flux";

export const deployKeyType = "github:index/repositoryDeployKey:RepositoryDeployKey";
