"""A learning platform in the test process: lti1p3platform signs its launches and checks the
tool's service tokens; `Lms` also serves what a real platform serves over HTTPS (its JWKS, the
token endpoint, the gradebook's score endpoint, the course roster), reached through a requests
transport adapter: the network edge, nothing of the tool is mocked."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qsl, urlsplit

import requests
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from django.test import Client
from lti1p3platform.ltiplatform import LTI1P3PlatformConfAbstract
from lti1p3platform.message_launch import LTIAdvantageMessageLaunchAbstract
from lti1p3platform.registration import Registration
from lti1p3platform.request import Request
from lti_tool.models import Key, LtiDeployment, LtiRegistration

ISS = "https://lms.example.edu"
CLIENT_ID = "tertulia-in-moodle"
DEPLOYMENT = "deployment-1"
LAUNCH_URL = "http://testserver/lti/launch/"
INSTRUCTOR = "http://purl.imsglobal.org/vocab/lis/v2/membership#Instructor"
LEARNER = "http://purl.imsglobal.org/vocab/lis/v2/membership#Learner"
SCORE_SCOPE = "https://purl.imsglobal.org/spec/lti-ags/scope/score"
LINEITEM_SCOPE = "https://purl.imsglobal.org/spec/lti-ags/scope/lineitem"


def _keypair() -> tuple[str, str]:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    private = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    ).decode()
    public = (
        key.public_key()
        .public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
        .decode()
    )
    return private, public


class _Config(LTI1P3PlatformConfAbstract):
    def init_platform_config(self, **kwargs: Any) -> None:
        self._registration = kwargs["registration"]

    def get_registration_by_params(self, **kwargs: Any) -> Registration:
        return self._registration


class _Preflight(Request):
    def build_metadata(self, request: Any) -> Any:
        return {"method": "POST", "form_data": request, "get_data": request, "headers": {}}


class _Launch(LTIAdvantageMessageLaunchAbstract):
    def render_launch_form(self, launch_data: dict[str, Any], **kwargs: Any) -> Any:
        return launch_data  # the auto-submitting form's fields: state, id_token, launch_url


@dataclass
class Lms:
    """The platform: its registration of the tool, its gradebook and its course roster."""

    registration: LtiRegistration
    config: _Config
    scores: list[dict[str, Any]] = field(default_factory=list)  # what the gradebook got
    members: list[dict[str, Any]] = field(default_factory=list)  # the roster it serves
    requests: list[str] = field(default_factory=list)  # paths the tool called
    down: bool = False  # the platform's services answer 503

    @classmethod
    def make(cls, *, deployment_active: bool = True) -> Lms:
        Client().get("/lti/jwks/")  # the platform reads the tool's keys (made on first use)
        registration = LtiRegistration.objects.create(
            name="Example Moodle",
            issuer=ISS,
            client_id=CLIENT_ID,
            auth_url=f"{ISS}/auth",
            token_url=f"{ISS}/token",
            keyset_url=f"{ISS}/jwks",
        )
        LtiDeployment.objects.create(
            registration=registration, deployment_id=DEPLOYMENT, is_active=deployment_active
        )
        private, public = _keypair()
        platform_side = (
            Registration()
            .set_iss(ISS)
            .set_client_id(CLIENT_ID)
            .set_deployment_id(DEPLOYMENT)
            .set_launch_url(LAUNCH_URL)
            .set_deeplink_launch_url(LAUNCH_URL)
            .set_oidc_login_url(f"http://testserver/lti/{registration.uuid}/login/")
            .set_platform_private_key(private)
            .set_platform_public_key(public)
            .set_tool_key_set(Key.objects.as_jwks())
        )
        return cls(registration, _Config(registration=platform_side))

    # -- launching -------------------------------------------------------------------

    def launch(
        self,
        client: Client,
        *,
        user: str,
        roles: list[str],
        name: str = "",
        email: str = "",
        context: str = "course-1",
        title: str = "Spanish 101",
        link: str | None = "link-1",
        custom: dict[str, str] | None = None,
        ags: bool = False,
        nrps: bool = False,
        deep_link: bool = False,
        claims: dict[str, Any] | None = None,
    ) -> Any:
        """OIDC login initiation at the tool, then the signed launch it asked for. `claims`
        overrides claims of the id_token (to forge a bad one)."""
        prepared = self.prepare(
            client, user=user, roles=roles, name=name, email=email, context=context,
            title=title, link=link, custom=custom, ags=ags, nrps=nrps, deep_link=deep_link,
            claims=claims,
        )  # fmt: skip
        return client.post(prepared["launch_url"], _form(prepared))

    def prepare(self, client: Client, **kwargs: Any) -> dict[str, Any]:
        login = client.get(
            f"/lti/{self.registration.uuid}/login/",
            {
                "iss": ISS,
                "login_hint": kwargs["user"],
                "target_link_uri": LAUNCH_URL,
                "lti_message_hint": "hint",
                "client_id": CLIENT_ID,
                "lti_deployment_id": DEPLOYMENT,
                "lti1p3_new_window": "1",  # what the tool's cookie check page adds
            },
        )
        assert login.status_code == 302, login.content[:300]
        preflight = dict(parse_qsl(urlsplit(login["Location"]).query))
        assert preflight["redirect_uri"] == LAUNCH_URL
        message = _Launch(_Preflight(preflight), self.config)
        message.set_user_data(kwargs["user"], kwargs["roles"], kwargs["name"], kwargs["email"])
        message.set_launch_context_claim(
            kwargs["context"], ["http://purl.imsglobal.org/vocab/lis/v2/course#CourseOffering"],
            kwargs["title"], kwargs["title"],
        )  # fmt: skip
        if kwargs["link"]:
            message.set_resource_link_claim(kwargs["link"], title="Speaking")
        if kwargs["custom"]:
            message.set_custom_parameters_claim(kwargs["custom"])
        if kwargs["ags"]:
            message.set_ags(f"{ISS}/lineitems", f"{ISS}/lineitems/1", True, True, True)
        if kwargs["nrps"]:
            message.set_nrps(f"{ISS}/memberships")
        if kwargs["deep_link"]:
            message.set_dl(f"{ISS}/deep-link-return", title="Add an activity")
        if kwargs["claims"]:
            message.set_extra_claims(kwargs["claims"])
        return message.lti_launch()

    def deep_link_items(self, response: Any) -> list[dict[str, Any]]:
        """The content items of the tool's deep linking response (its auto-submitted form),
        checked as the platform checks them (the tool's signature, the message type)."""
        html = response.content.decode()
        token = html.split('name="JWT" value="', 1)[1].split('"', 1)[0]
        return self.config.validate_deeplinking_resp({"JWT": token})

    # -- the platform's web services (the network edge) --------------------------------

    def serve(self, request: requests.PreparedRequest) -> requests.Response:
        path = urlsplit(request.url or "").path
        self.requests.append(path)
        if self.down and path != "/jwks":
            return _response(503, {"error": "maintenance"})
        if path == "/jwks":
            return _response(200, {"keys": self.config.get_registration().get_jwks()})
        if path == "/token":
            form = dict(parse_qsl(str(request.body)))
            try:
                return _response(200, self.config.get_access_token(form))
            except Exception as exc:  # the platform refuses a bad client assertion
                return _response(400, {"error": "invalid_client", "detail": str(exc)})
        token = (request.headers.get("Authorization") or "").removeprefix("Bearer ")
        if not token or not self.config.validate_token(token):
            return _response(401, {"error": "unauthorized"})
        if path.endswith("/scores") and request.method == "POST":
            assert request.headers["Content-Type"] == "application/vnd.ims.lis.v1.score+json"
            self.scores.append(
                {"lineitem": path.removesuffix("/scores"), **json.loads(request.body or b"{}")}
            )
            return _response(200, {})
        if path == "/memberships":
            context = {"id": "course-1", "title": "Spanish 101"}
            return _response(
                200, {"id": f"{ISS}/memberships", "context": context, "members": self.members}
            )
        return _response(404, {"error": "not found"})


class Adapter(requests.adapters.BaseAdapter):
    def __init__(self, lms: Lms) -> None:
        super().__init__()
        self.lms = lms

    def send(self, request: requests.PreparedRequest, **kwargs: Any) -> requests.Response:
        response = self.lms.serve(request)
        response.request, response.url = request, request.url
        return response

    def close(self) -> None:
        pass


def _response(status: int, body: Any) -> requests.Response:
    response = requests.Response()
    response.status_code = status
    response._content = json.dumps(body).encode()
    response.headers["Content-Type"] = "application/json"
    return response


def _form(prepared: dict[str, Any]) -> dict[str, str]:
    return {"id_token": prepared["id_token"], "state": prepared["state"]}


def launch_args(**overrides: Any) -> dict[str, Any]:
    """`Lms.prepare`'s keyword arguments: a plain resource launch in course-1, with `overrides`."""
    values: dict[str, Any] = dict(
        name="", email="", context="course-1", title="Spanish 101", link="link-1",
        custom=None, ags=False, nrps=False, deep_link=False, claims=None,
    )  # fmt: skip
    values.update(overrides)
    return values
