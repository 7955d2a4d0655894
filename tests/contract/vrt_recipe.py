"""The accounts.md "Recipe", run through one installed ``vrt_lss_account`` release.

Run as a script in a fresh interpreter whose ``sys.path`` starts with that release's
``pip install --target`` directory (two releases cannot share one environment):
``python vrt_recipe.py HOST USERNAME PASSWORD``. Prints one JSON object with what each
step returned; any failed expectation raises (non-zero exit).
"""

from __future__ import annotations

import datetime as dt
import json
import sys
import uuid


def run(host: str, username: str, password: str) -> dict:
    import vrt_lss_account as vrt
    from vrt_lss_account.exceptions import NotFoundException, UnauthorizedException

    seen: dict = {"client": vrt.__version__}
    cfg = vrt.Configuration(host=host)
    client = vrt.ApiClient(cfg)
    auth = vrt.AuthApi(client)

    token = auth.run_token_generation(vrt.TokenRequest(username=username, password=password, ttl_seconds=3600))
    assert isinstance(token, str) and len(token) >= 10, token
    seen["token_quoted"] = token.startswith('"')

    result = auth.run_token_validation(token)
    assert result.valid is True and isinstance(result.roles, list), result
    seen["roles"] = [str(getattr(role, "value", role)) for role in result.roles]
    assert auth.run_token_validation("x" * 20).valid is False

    cfg.access_token = token
    system = vrt.SystemApi(client)
    health = system.check().health
    assert 0 <= health <= 1
    version = system.version()
    seen["version"] = [version.major, version.minor, version.build]

    info_api = vrt.InfoApi(client)
    user = info_api.read_info()
    assert user.username == username and user.password is None, user
    email = f"{username}@example.com"
    updated = info_api.update_info(
        vrt.InfoChangeRequest(email=email, phone="+71234567890", attributes=[vrt.Attribute(key="k", value="v")])
    )
    assert updated.email == email, updated
    seen["attributes"] = [(a.key, a.value) for a in updated.attributes]

    quota_api = (getattr(vrt, "QuotaApi", None) or vrt.QuotasApi)(client)
    quotas = quota_api.read_quota()
    assert quotas.base.services and all(service.processes for service in quotas.base.services)
    seen["quota_services"] = len(quotas.base.services)

    today = dt.date.today()
    month_start = today.replace(day=1)
    statistics_api = vrt.StatisticsApi(client)
    statistics = statistics_api.generate_statistics(var_from=month_start, to=today, service=vrt.Service.UNIVERSAL)
    assert statistics.username == username
    seen["statistics_days"] = len(statistics.dates)
    report = statistics_api.generate_report(var_from=month_start, to=today, service=vrt.Service.UNIVERSAL)
    assert bytes(report).startswith(b"PK"), report[:10]
    seen["report_bytes"] = len(report)

    audit = vrt.AuditApi(client).read_audit(
        offset=0,
        limit=10,
        sort_field="time",
        sort_direction="DESC",
        var_from=dt.datetime.now(dt.UTC) - dt.timedelta(days=1),
    )
    assert audit.counters.filter.total <= audit.counters.overall.total
    seen["audit"] = [len(audit.actions), audit.counters.overall.total]

    data_api = vrt.DataApi(client)
    if audit.actions:
        data = data_api.read_data(str(audit.actions[0].process_code), data_flow_type=vrt.FlowType.INPUT)
        assert isinstance(data, (bytes, bytearray)) and data, data
        seen["data_bytes"] = len(data)
    try:
        data_api.read_data(str(uuid.uuid4()), data_flow_type=vrt.FlowType.OUTPUT)
    except NotFoundException as exc:
        assert type(exc.data) is vrt.General404, (exc.data, exc.body)
        seen["not_found_resource_key"] = bool(exc.data.resource_key)
    else:
        raise AssertionError("read_data of an unknown process did not raise NotFoundException")

    page = system.file("account_en.html")
    assert isinstance(page, str) and "redoc" in page.lower()

    new_token = auth.change_password(vrt.PasswordChangeRequest(current_password=password, new_password=password + "X"))
    assert isinstance(new_token, str) and len(new_token) >= 10
    cfg.access_token = new_token
    back = auth.change_password(vrt.PasswordChangeRequest(current_password=password + "X", new_password=password))
    cfg.access_token = back
    assert info_api.read_info().username == username

    cfg.access_token = None
    try:
        info_api.read_info()
    except UnauthorizedException:
        seen["anonymous"] = 401
    else:
        raise AssertionError("read_info without a token did not raise UnauthorizedException")
    return seen


if __name__ == "__main__":
    print(json.dumps(run(*sys.argv[1:4])))
