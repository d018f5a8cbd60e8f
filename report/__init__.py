from . import care_kpi_report
