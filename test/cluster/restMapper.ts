// Where an object lives on the API server: its kind's resource and scope, from the server's own
// discovery documents (as kubectl and the Pulumi provider find them), not from a table of ours.
import { ApiClient } from "./apiClient";

type Json = Record<string, any>;

export interface Mapping {
    readonly resource: string;
    readonly namespaced: boolean;
}

const groupVersionPath = (apiVersion: string) => apiVersion.includes("/") ? `/apis/${apiVersion}` : `/api/${apiVersion}`;

export class RestMapper {
    private readonly known = new Map<string, Mapping>();

    constructor(private readonly client: ApiClient) {}

    /** The mapping of a kind, asking the server again (a CRD just established) before it gives up. */
    async mapping(apiVersion: string, kind: string, waitMs = 10_000): Promise<Mapping> {
        const key = `${apiVersion}/${kind}`;
        const deadline = Date.now() + waitMs;
        for (;;) {
            const found = this.known.get(key);
            if (found) {
                return found;
            }
            const answer = await this.client.request("GET", groupVersionPath(apiVersion));
            if (answer.status === 200) {
                for (const r of (answer.body.resources ?? []) as Json[]) {
                    if (!r.name.includes("/")) {
                        this.known.set(`${apiVersion}/${r.kind}`, { resource: r.name, namespaced: r.namespaced });
                    }
                }
            }
            if (this.known.has(key)) {
                continue;
            }
            if (Date.now() > deadline) {
                throw new Error(`the API server serves no kind ${kind} in ${apiVersion}`);
            }
            await new Promise((r) => setTimeout(r, 100));
        }
    }

    /** The object's path; with `named` false, its collection's. */
    async pathOf(o: Json, named = true): Promise<string> {
        const { resource, namespaced } = await this.mapping(o.apiVersion, o.kind);
        const namespace = namespaced ? `/namespaces/${o.metadata?.namespace ?? "default"}` : "";
        return `${groupVersionPath(o.apiVersion)}${namespace}/${resource}${named ? `/${o.metadata.name}` : ""}`;
    }
}
