"""Pure methodology: units, GWP, factor selection and equations; no IO."""
