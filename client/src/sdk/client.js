// The printer alone: the package's index loads all of graphql-js (50 ms of every CLI command).
import { print } from 'graphql/language/printer.js';
import { ManifestProblemsDocument, RegisterDatasetsDocument, RegisterDatasetsTypedDocument, ReportSubjectsDocument, SubjectLookupDocument, SystemDatasetsDocument, WhoamiDocument, } from './generated/graphql.js';
/** Why a call failed: `kind` tells a client what to do (fix input, fix credentials, retry). */
export class KirokuError extends Error {
    constructor(kind, message, errors = [], status) {
        super(message);
        this.kind = kind;
        this.errors = errors;
        this.status = status;
    }
    /** Retrying may help (a conflict with a concurrent writer, or the server being unavailable). */
    get retryable() {
        return this.kind === 'server' || this.errors.some((e) => e.extensions?.code === 'CONFLICT');
    }
}
const AUTH_CODES = new Set(['UNAUTHENTICATED', 'FORBIDDEN']);
const INPUT_CODES = new Set(['BAD_USER_INPUT', 'NOT_FOUND', 'GRAPHQL_VALIDATION_FAILED', 'QUERY_TOO_COMPLEX']);
/** The typed client integrators use; every operation is a generated, typed document. */
export class KirokuClient {
    constructor(options) {
        this.options = options;
        this.endpoint = options.url.replace(/\/+$/, '').replace(/\/graphql$/, '') + '/graphql';
        this.doFetch = options.fetch ?? fetch;
    }
    async request(document, variables) {
        let res;
        try {
            res = await this.doFetch(this.endpoint, {
                method: 'POST',
                headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json, application/json', authorization: `Bearer ${this.options.token}` },
                body: JSON.stringify({ query: print(document), variables }),
            });
        }
        catch (e) {
            throw new KirokuError('server', `cannot reach ${this.endpoint}: ${e.message}`);
        }
        let body;
        try {
            body = (await res.json());
        }
        catch {
            throw new KirokuError('server', `${this.endpoint} answered HTTP ${res.status} without a GraphQL response`, [], res.status);
        }
        const errors = body.errors ?? [];
        if (errors.length) {
            const code = errors[0].extensions?.code ?? '';
            const kind = res.status === 401 || AUTH_CODES.has(code) ? 'auth' : INPUT_CODES.has(code) ? 'validation' : 'server';
            throw new KirokuError(kind, `${code || 'ERROR'}: ${errors[0].message}`, errors, res.status);
        }
        if (!res.ok || body.data == null)
            throw new KirokuError('server', `HTTP ${res.status}`, [], res.status);
        return body.data;
    }
    whoami() {
        return this.request(WhoamiDocument, {}).then((d) => d.whoami);
    }
    /** Sent as one JSON value (`push`), which the server checks whole against the same rules as the typed input. */
    registerDatasets(input) {
        return this.request(RegisterDatasetsDocument, { push: input }).then((d) => d.registerDatasets.results);
    }
    /** The same push as a typed GraphQL input: the same answers and checks, slower for large pushes; errors name `input.…` instead of `push.…`. */
    registerDatasetsTyped(input) {
        return this.request(RegisterDatasetsTypedDocument, { input }).then((d) => d.registerDatasets.results);
    }
    reportSubjects(input) {
        return this.request(ReportSubjectsDocument, { input }).then((d) => d.reportSubjects);
    }
    /** What `kiroku import` of this manifest (YAML text) would refuse, with JSON Pointer paths; nothing is written. */
    manifestProblems(manifest) {
        return this.request(ManifestProblemsDocument, { manifest }).then((d) => d.manifestProblems);
    }
    subjectLookup(identityType, value) {
        return this.request(SubjectLookupDocument, { identityType, value }).then((d) => d.subjectLookup);
    }
    datasets(first = 100, after) {
        return this.request(SystemDatasetsDocument, { first, after }).then((d) => d.datasets);
    }
}
//# sourceMappingURL=client.js.map