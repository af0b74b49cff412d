#!/usr/bin/env python3
"""Writes core/data/vehicle_carculator.csv: carculator 1.9.5's vehicle parameters for every size
class × powertrain tanso models, for the years 2020, 2030, 2040 and 2050.

The values are carculator's own: the glider base masses of its default_parameters.json
(Hirschberg et al. 2016, calibration result) and the outputs of its vehicle model
``CarModel(array, cycle="WLTC", country="CN").set_all()`` on the static default inputs
(``CarInputParameters().static()``), read from ``CarModel.array``: tank-to-wheel energy (kJ/km),
electric energy stored (kWh), electric utility factor (PHEV), curb mass (kg), lightweighting
share. The same call produced the carculator rows of shared/data/vehicle_use.csv (Small, Medium,
Large SUV in 2020); this script extends them to every class and decade.

Run in a virtual environment with carculator (``pip install carculator==1.9.5``):

    python scripts/data/carculator_vehicles.py > core/data/vehicle_carculator.csv
"""
import contextlib
import csv
import io
import sys
import warnings

warnings.filterwarnings("ignore")
from carculator import CarInputParameters, CarModel, fill_xarray_from_input_parameters  # noqa: E402
import carculator  # noqa: E402

SIZES = ["Mini", "Small", "Lower medium", "Medium", "Large", "Medium SUV", "Large SUV", "Van"]
POWERTRAINS = ["ICEV-p", "ICEV-d", "HEV-p", "PHEV-p", "BEV", "FCEV"]
YEARS = [2020, 2030, 2040, 2050]
PARAMETERS = {  # carculator name -> (unit, note)
    "glider base mass": ("kg", "default_parameters.json; Hirschberg et al. (2016), calibration result"),
    "lightweighting": ("kg/kg glider base mass", "default_parameters.json; Geyer (2017), Hirschberg et al. (2016)"),
    "curb mass": ("kg", "model output"),
    "TtW energy": ("kJ/km", "model output, WLTC; energy at the tank or battery, before charging losses"),
    "electric energy stored": ("kWh", "model output; traction battery capacity"),
    "electric utility factor": ("share of km electric", "model output; PHEV only"),
}
SOURCE = ("carculator {v} (Paul Scherrer Institute; PyPI package) "
          "CarModel(cycle='WLTC', country='CN').set_all() on CarInputParameters().static()")


def main():
    with contextlib.redirect_stdout(io.StringIO()):
        cip = CarInputParameters()
        cip.static()
        _, array = fill_xarray_from_input_parameters(cip)
        model = CarModel(array, cycle="WLTC", country="CN")
        model.set_all()
    a = model.array
    w = csv.writer(sys.stdout, lineterminator="\n")
    w.writerow(["parameter", "powertrain", "size_class", "year", "value", "unit", "status", "source", "notes"])
    version = getattr(carculator, "__version__", "1.9.5")
    if isinstance(version, tuple):
        version = ".".join(map(str, version))
    source = SOURCE.format(v=version)
    for size in SIZES:
        for pt in POWERTRAINS:
            for year in YEARS:
                for name, (unit, note) in PARAMETERS.items():
                    if name == "electric utility factor" and pt != "PHEV-p":
                        continue
                    value = float(a.sel(size=size, powertrain=pt, year=year, parameter=name, value=0))
                    w.writerow([name, pt, size, year, f"{value:.6g}", unit, "verified (model output)", source, note])


if __name__ == "__main__":
    main()
