"""Signed SP metadata with the SPID (Avviso 29 v3) and CIE extensions."""

import hashlib
from xml.sax.saxutils import escape, quoteattr

from django.conf import settings
from saml2.sigver import security_context

from . import conf as saml_conf
from .certificates import certificate_body

MD = "urn:oasis:names:tc:SAML:2.0:metadata"
DS = "http://www.w3.org/2000/09/xmldsig#"
SPID_NS = "https://spid.gov.it/saml-extensions"
CIE_NS = "https://www.cartaidentita.interno.gov.it/saml-extensions"
POST = "urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST"
REDIRECT = "urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect"
TRANSIENT = "urn:oasis:names:tc:SAML:2.0:nameid-format:transient"

SIGNATURE_TEMPLATE = (
    f'<ds:Signature xmlns:ds="{DS}"><ds:SignedInfo>'
    '<ds:CanonicalizationMethod Algorithm="http://www.w3.org/2001/10/xml-exc-c14n#"/>'
    '<ds:SignatureMethod Algorithm="http://www.w3.org/2001/04/xmldsig-more#rsa-sha256"/>'
    '<ds:Reference URI="#{ref}"><ds:Transforms>'
    '<ds:Transform Algorithm="http://www.w3.org/2000/09/xmldsig#enveloped-signature"/>'
    '<ds:Transform Algorithm="http://www.w3.org/2001/10/xml-exc-c14n#"/>'
    "</ds:Transforms>"
    '<ds:DigestMethod Algorithm="http://www.w3.org/2001/04/xmlenc#sha256"/>'
    "<ds:DigestValue/></ds:Reference></ds:SignedInfo><ds:SignatureValue/>"
    "<ds:KeyInfo><ds:X509Data><ds:X509Certificate>{cert}</ds:X509Certificate>"
    "</ds:X509Data></ds:KeyInfo></ds:Signature>"
)


def _key_descriptor(use: str, cert: str) -> str:
    return (
        f'<md:KeyDescriptor use="{use}"><ds:KeyInfo xmlns:ds="{DS}"><ds:X509Data>'
        f"<ds:X509Certificate>{cert}</ds:X509Certificate>"
        "</ds:X509Data></ds:KeyInfo></md:KeyDescriptor>"
    )


def _contact(kind: str) -> str:
    contact = settings.SAML_CONTACT
    org = settings.SAML_ORGANIZATION
    email = escape(contact["email"])
    phone = escape(contact["phone"].replace(" ", ""))
    ipa = escape(contact["ipa_code"])
    if kind == "cie":
        return (
            f'<md:ContactPerson contactType="administrative">'
            f'<md:Extensions xmlns:cie="{CIE_NS}">'
            "<cie:Public/>"
            f"<cie:IPACode>{ipa}</cie:IPACode>"
            f"<cie:Municipality>{escape(contact['municipality'])}</cie:Municipality>"
            "</md:Extensions>"
            f"<md:Company>{escape(org['name'])}</md:Company>"
            f"<md:EmailAddress>{email}</md:EmailAddress>"
            + (f"<md:TelephoneNumber>{phone}</md:TelephoneNumber>" if phone else "")
            + "</md:ContactPerson>"
            f'<md:ContactPerson contactType="technical">'
            f'<md:Extensions xmlns:cie="{CIE_NS}">'
            "<cie:Public/>"
            f"<cie:Municipality>{escape(contact['municipality'])}</cie:Municipality>"
            "</md:Extensions>"
            f"<md:Company>{escape(org['name'])}</md:Company>"
            f"<md:EmailAddress>{email}</md:EmailAddress>"
            + (f"<md:TelephoneNumber>{phone}</md:TelephoneNumber>" if phone else "")
            + "</md:ContactPerson>"
        )
    return (
        '<md:ContactPerson contactType="other">'
        f'<md:Extensions xmlns:spid="{SPID_NS}">'
        f"<spid:IPACode>{ipa}</spid:IPACode>"
        "<spid:Public/>"
        "</md:Extensions>"
        f"<md:EmailAddress>{email}</md:EmailAddress>"
        + (f"<md:TelephoneNumber>{phone}</md:TelephoneNumber>" if phone else "")
        + "</md:ContactPerson>"
    )


def metadata_xml(kind: str, sign: bool = True) -> str:
    """The SP metadata for kind ("spid" or "cie"), signed with the SP key."""
    config = saml_conf.build_config(kind)
    cert = certificate_body(config.cert_file)
    eid = saml_conf.entity_id(kind)
    acs = saml_conf.endpoint(kind, "acs")
    ls = saml_conf.endpoint(kind, "ls")
    org = settings.SAML_ORGANIZATION
    ident = "_" + hashlib.sha256(eid.encode()).hexdigest()
    attributes = "".join(
        f'<md:RequestedAttribute Name="{name}"/>' for name in saml_conf.REQUESTED_ATTRIBUTES[kind]
    )
    service_name = escape(saml_conf.SERVICE_NAMES[kind])
    xml = (
        f'<md:EntityDescriptor xmlns:md="{MD}" entityID={quoteattr(eid)} ID="{ident}">'
        + (SIGNATURE_TEMPLATE.format(ref=ident, cert=cert) if sign else "")
        + '<md:SPSSODescriptor protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol"'
        ' AuthnRequestsSigned="true" WantAssertionsSigned="true">'
        + _key_descriptor("signing", cert)
        + f'<md:SingleLogoutService Binding="{POST}" Location={quoteattr(ls)}/>'
        + f'<md:SingleLogoutService Binding="{REDIRECT}" Location={quoteattr(ls)}/>'
        + f"<md:NameIDFormat>{TRANSIENT}</md:NameIDFormat>"
        + f'<md:AssertionConsumerService Binding="{POST}" Location={quoteattr(acs)}'
        ' index="0" isDefault="true"/>'
        + '<md:AttributeConsumingService index="0">'
        + f'<md:ServiceName xml:lang="it">{service_name}</md:ServiceName>'
        + attributes
        + "</md:AttributeConsumingService>"
        + "</md:SPSSODescriptor>"
        + "<md:Organization>"
        + f'<md:OrganizationName xml:lang="it">{escape(org["name"])}</md:OrganizationName>'
        + f'<md:OrganizationDisplayName xml:lang="it">{escape(org["display_name"])}'
        "</md:OrganizationDisplayName>"
        + f'<md:OrganizationURL xml:lang="it">{escape(org["url"])}</md:OrganizationURL>'
        + "</md:Organization>"
        + _contact(kind)
        + "</md:EntityDescriptor>"
    )
    if not sign:
        return xml
    sec = security_context(config)
    signed = sec.sign_statement(
        xml, node_name=f"{MD}:EntityDescriptor", key_file=config.key_file, node_id=ident
    )
    return signed if isinstance(signed, str) else signed.decode()
