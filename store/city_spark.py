"""The city roll-up on Apache Spark: the same SQL as DuckDB's (store/city.py), translated by sqlglot, over the same
Parquet exports. pyspark is imported only here and only when a SparkCity is made, so nothing else ever loads it."""

from __future__ import annotations

import os
import warnings
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd

from ground.catalogue import Catalogue
from store.city import Query, one_catalogue, own_catalogues, ranking_query, status_query, with_labels
from store.city_catalogue import catalogue_frame
from store.city_files import CityFiles, CityFolderError
from store.city_parquet import ParquetCity, phase_of

if TYPE_CHECKING:  # pragma: no cover
    from pyspark.sql import SparkSession

LOCAL = "local[2]"
_ROLLUP_SCHEMA = (
    "commune STRING, indicator STRING, period STRING, month INT, value DOUBLE, denominator DOUBLE, rows INT"
)
_OVERRIDES_SCHEMA = "commune STRING, indicator STRING, phase STRING, value DOUBLE, source STRING"


def spark_session(master: str = LOCAL) -> SparkSession:
    """A SparkSession for the city roll-up (getOrCreate: one per process). A local master is bound to 127.0.0.1
    with the web UI off and few shuffle partitions (the roll-up's tables are small per task); a cluster's master
    URL (spark://…, yarn, k8s://…) keeps Spark's own network settings."""
    from pyspark.sql import SparkSession

    builder = (
        SparkSession.builder.master(master)
        .appName("xanh-thanh-pho")
        .config("spark.ui.enabled", "false")
        .config("spark.sql.shuffle.partitions", "4")
        .config("spark.sql.execution.arrow.pyspark.enabled", "true")
        .config("spark.sql.session.timeZone", "Asia/Ho_Chi_Minh")
        .config("spark.ui.showConsoleProgress", "false")
    )
    if master.startswith("local"):
        builder = builder.config("spark.driver.host", "127.0.0.1").config("spark.driver.bindAddress", "127.0.0.1")
    with warnings.catch_warnings():  # pyspark's notice that pandas 3 is newer than it was tested with
        warnings.simplefilter("ignore", FutureWarning)
        session = builder.getOrCreate()
    session.sparkContext.setLogLevel("ERROR")
    return session


def to_spark(query: Query) -> str:
    """The DuckDB statement as Spark SQL: sqlglot translates the dialect (any_value … FILTER, arg_min → min_by,
    casts), and each $parameter becomes a literal so Spark gets one plain statement."""
    import sqlglot
    from sqlglot import exp

    def bind(node: exp.Expression) -> exp.Expression:
        if isinstance(node, exp.Placeholder) and node.name in query.params:
            return _literal(query.params[node.name])
        return node

    tree = sqlglot.parse_one(query.sql, read="duckdb").transform(bind)
    missing = [p.name for p in tree.find_all(exp.Placeholder)]
    if missing:
        raise ValueError(f"tham số không có giá trị: {', '.join(missing)}")
    return tree.sql(dialect="spark")


def _literal(value: Any):
    from sqlglot import exp

    if value is None:
        return exp.Null()
    if isinstance(value, bool):
        return exp.Boolean(this=value)
    if isinstance(value, int | float):
        return exp.Literal.number(repr(float(value)) if isinstance(value, float) else str(value))
    return exp.Literal.string(str(value))


class SparkCity:
    """The city view on Spark over a folder of exports: the folder is listed and checked as for ParquetCity (whole
    files, identities that agree), then the roll-up itself runs on Spark. `master` is local[2] or a cluster's URL;
    `session` reuses a running SparkSession (the tests keep one per session)."""

    def __init__(self, folder: str | os.PathLike, *, master: str = LOCAL, session: SparkSession | None = None):
        self.folder = Path(folder)
        self.master = master
        self._session = session
        self.duckdb = ParquetCity(folder)  # the folder's listing, checks and catalogue facts

    @property
    def spark(self) -> SparkSession:
        if self._session is None:
            try:
                self._session = spark_session(self.master)
            except Exception as exc:  # Java missing, master unreachable: said in Vietnamese, not as a JVM trace
                raise CityFolderError(
                    f"Không khởi động được Spark ({self.master}): {str(exc).splitlines()[0][:300]}. Spark cần Java 17 "
                    "(gói openjdk-17-jre-headless)."
                ) from exc
        return self._session

    def _views(self, files: CityFiles) -> None:
        spark = self.spark

        def view(name: str, paths: tuple[Path, ...], schema: str | None) -> None:
            if paths:
                frame = spark.read.option("mergeSchema", "true").parquet(*[str(p) for p in paths])
            else:
                frame = spark.createDataFrame([], schema)
            frame.createOrReplaceTempView(name)

        view("rollup_monthly", files.rollup, _ROLLUP_SCHEMA)
        view("target_overrides", files.overrides, _OVERRIDES_SCHEMA)
        if files.communes:
            view("city_communes", files.communes, None)

    def _run(self, query: Query, names: pd.Series | None) -> pd.DataFrame:
        with warnings.catch_warnings():  # pyspark 4.3's notices about pandas 3 (FutureWarning, Pandas4Warning)
            warnings.simplefilter("ignore")
            out = with_labels(self.spark.sql(to_spark(query)).toPandas())
        if names is not None:
            out.insert(out.columns.get_loc("commune") + 1, "commune_name", out["commune"].map(names))
        return out

    def _prepare(self, catalogue: Catalogue | None, month: str, phase: str | None):
        files = self.duckdb.files()
        if catalogue is None:
            ids = self.duckdb.communes()  # every identity check, as DuckDB's path makes them
            phase = phase or phase_of(self.duckdb.phases(), month)
            self._views(files)
            return own_catalogues("rollup_monthly", "target_overrides", "city_communes"), phase, ids
        phase = phase or catalogue.phase_of(month).code
        if not files.rollup:
            raise CityFolderError(f"không có tệp Parquet nào trong {self.folder / 'rollup_monthly'}")
        self._views(files)
        self.spark.createDataFrame(catalogue_frame(catalogue, phase)).createOrReplaceTempView("city_catalogue")
        return one_catalogue("rollup_monthly", "target_overrides"), phase, None

    def city_status(
        self, catalogue: Catalogue | None, month: str, *, phase: str | None = None, indicator: str | None = None
    ) -> pd.DataFrame:
        """As ParquetCity.city_status, computed by Spark."""
        rel, phase, ids = self._prepare(catalogue, month, phase)
        names = None if ids is None else ids.set_index("commune")["commune_name"]
        return self._run(status_query(rel, month, phase, indicator), names)

    def commune_ranking(
        self, catalogue: Catalogue | None, indicator: str, month: str, *, phase: str | None = None
    ) -> pd.DataFrame:
        """As ParquetCity.commune_ranking, computed by Spark."""
        known = self.duckdb.indicators()["indicator"] if catalogue is None else [i.code for i in catalogue.indicators]
        if indicator not in set(known):
            raise KeyError(indicator)
        rel, phase, ids = self._prepare(catalogue, month, phase)
        names = None if ids is None else ids.set_index("commune")["commune_name"]
        return self._run(ranking_query(rel, indicator, month, phase), names)
