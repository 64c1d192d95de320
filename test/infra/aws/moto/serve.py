"""Runs moto's server (same arguments as `python3 -m moto.server`) with its known departures from
AWS's published API models corrected, so the wire tests assert what AWS documents.

Each correction names the model it follows; nothing else of moto is changed.
"""
import functools
import inspect
import sys

from moto.glue import models as glue_models
from moto.server import main

# Glue GetCrawler: Crawler.LastCrawl.Status is a LastCrawlStatus, one of SUCCEEDED | CANCELLED | FAILED
# (botocore glue/2017-03-31 service-2.json). moto 5.2.1 reports the crawl's CrawlState (COMPLETED,
# STOPPED), which belongs to ListCrawls/GetCrawls, not to LastCrawlInfo.
_LAST_CRAWL_STATUS = {"COMPLETED": "SUCCEEDED", "STOPPED": "CANCELLED"}
_crawler_as_dict = glue_models.FakeCrawler.as_dict


def _documented_crawler_as_dict(self):  # type: ignore[no-untyped-def]
    data = _crawler_as_dict(self)
    last = data.get("LastCrawl")
    if last is not None:
        last["Status"] = _LAST_CRAWL_STATUS.get(last["Status"], last["Status"])
    return data


glue_models.FakeCrawler.as_dict = _documented_crawler_as_dict

# Glue CreateTable: "TableInput.Name: The table name. For Hive compatibility, this is folded to lowercase
# when it is stored" (and GetTable, UpdateTable, partitions … find it by any case). moto 5.2.1 keeps
# the name's case and matches it exactly. Every backend method taking a table_name folds it.
def _folding(method):  # type: ignore[no-untyped-def]
    position = list(inspect.signature(method).parameters).index("table_name")

    @functools.wraps(method)
    def wrapper(*args, **kwargs):  # type: ignore[no-untyped-def]
        if "table_name" in kwargs and isinstance(kwargs["table_name"], str):
            kwargs["table_name"] = kwargs["table_name"].lower()
        elif len(args) > position and isinstance(args[position], str):
            args = (*args[:position], args[position].lower(), *args[position + 1 :])
        return method(*args, **kwargs)

    return wrapper


for _name, _method in list(vars(glue_models.GlueBackend).items()):
    if callable(_method) and "table_name" in inspect.signature(_method).parameters:
        setattr(glue_models.GlueBackend, _name, _folding(_method))

_table_as_dict = glue_models.FakeTable.as_dict


def _folded_table_as_dict(self, version=None):  # type: ignore[no-untyped-def]
    return {**_table_as_dict(self, version), "Name": self.name}


glue_models.FakeTable.as_dict = _folded_table_as_dict

if __name__ == "__main__":
    main(sys.argv[1:])
