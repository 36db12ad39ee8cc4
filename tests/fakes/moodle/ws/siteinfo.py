"""core_webservice_get_site_info."""

from __future__ import annotations

from typing import Any

from tests.fakes.moodle.schema import Multiple, Single, Value
from tests.fakes.moodle.service import ServiceConfig
from tests.fakes.moodle.site import MoodleSite

SITE_INFO = Single({"serviceshortnames": Multiple(Value("alphanumext"), "default")})
RELEASE = "4.5.2 (Build: 20250210)"
VERSION = "2024100702"


def site_info(site: MoodleSite, service: ServiceConfig, params: dict[str, Any]) -> Any:
    names = sorted(service.exposed_functions())
    return {
        "sitename": site.site_name,
        "username": service.username,
        "firstname": "Kompetencekatalog",
        "lastname": "Integration",
        "fullname": "Kompetencekatalog Integration",
        "lang": "da",
        "userid": service.user_id,
        "siteurl": service.site_url,
        "userpictureurl": f"{service.site_url}/theme/image.php/boost/core/1/u/f1",
        "functions": [{"name": name, "version": VERSION} for name in names],
        "downloadfiles": 0,
        "uploadfiles": 0,
        "release": RELEASE,
        "version": VERSION,
        "mobilecssurl": "",
        "advancedfeatures": [{"name": "enablecompletion", "value": 1}],
        "usercanmanageownfiles": False,
        "userquota": 0,
        "usermaxuploadfilesize": -1,
        "userhomepage": 1,
        "siteid": 1,
        "sitecalendartype": "gregorian",
        "usercalendartype": "gregorian",
        "theme": "boost",
    }
