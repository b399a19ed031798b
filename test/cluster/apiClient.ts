// HTTP to the test API server, as one principal: its own client certificate, or none at all.
import * as https from "https";

/** Who sends a request: the user name and groups its certificate carries. */
export interface Principal {
    readonly username: string;
    readonly groups: readonly string[];
}

export interface Answer {
    readonly status: number;
    readonly body: any;
}

const contentTypes = {
    json: "application/json",
    merge: "application/merge-patch+json",
    strategic: "application/strategic-merge-patch+json",
    jsonPatch: "application/json-patch+json",
    apply: "application/apply-patch+yaml",
} as const;
export type ContentType = keyof typeof contentTypes;

export class ApiClient {
    private readonly agent: https.Agent;

    constructor(readonly url: string, ca: Buffer, credential?: { readonly cert: Buffer; readonly key: Buffer }) {
        this.agent = new https.Agent({ ca, ...credential, keepAlive: true, maxSockets: 16 });
    }

    request(method: string, path: string, body?: unknown, contentType: ContentType = "json", headers: Record<string, string> = {}): Promise<Answer> {
        const payload = body === undefined ? undefined : Buffer.from(JSON.stringify(body));
        return new Promise((resolve, reject) => {
            const req = https.request(`${this.url}${path}`, {
                method, agent: this.agent,
                headers: {
                    accept: "application/json", ...headers,
                    ...(payload ? { "content-type": contentTypes[contentType], "content-length": String(payload.length) } : {}),
                },
            }, (res) => {
                const chunks: Buffer[] = [];
                res.on("data", (c: Buffer) => chunks.push(c));
                res.on("end", () => {
                    const text = Buffer.concat(chunks).toString("utf8");
                    let parsed: unknown = text;
                    try {
                        parsed = text ? JSON.parse(text) : undefined;
                    } catch {
                        // plain text (/readyz), kept as it is
                    }
                    resolve({ status: res.statusCode ?? 0, body: parsed });
                });
            });
            req.on("error", reject);
            req.end(payload);
        });
    }

    /** Like request, but a status of 400 or more is an error naming the path and the server's message. */
    async must(method: string, path: string, body?: unknown, contentType: ContentType = "json"): Promise<any> {
        const answer = await this.request(method, path, body, contentType);
        if (answer.status >= 400) {
            throw new Error(`${method} ${path}: ${answer.status} ${answer.body?.message ?? JSON.stringify(answer.body)}`);
        }
        return answer.body;
    }

    close(): void {
        this.agent.destroy();
    }
}
