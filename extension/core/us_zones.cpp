// The US address tables behind the calling windows.
//
// Sources. No ZIP -> time-zone dataset is available to this build offline
// (the well-known open ones are downloads, not Debian packages), so the zone
// of a ZIP code is derived in two steps, both kept here by hand:
//   1. ZIP3 -> state: the USPS's assignment of three-digit ZIP prefixes to
//      states (USPS Publication 65 / the National Five-Digit ZIP Code and
//      Post Office Directory), by range;
//   2. state -> zones: the IANA time-zone database's zones for the parts of
//      each state (zone1970.tab and its comments: e.g. America/Boise for
//      south Idaho, America/Los_Angeles for the north).
// A state with one zone gives its ZIP codes that zone; a state with several
// (FL, TX, TN, KY, IN, MI, KS, NE, ND, SD, ID, OR, AK, AZ) gives all of them,
// and the window is their intersection: a ZIP code never narrows a state down
// to one of its zones here, which errs on the side of not calling.
#include "us_zones.hpp"

#include <array>

namespace pgdialer::us_zones {

namespace {
constexpr const char* ET = "America/New_York";
constexpr const char* CT = "America/Chicago";
constexpr const char* MT = "America/Denver";
constexpr const char* PT = "America/Los_Angeles";
}  // namespace

const StateZones kStateZones[] = {
    {"AL", {CT}},
    {"AK", {"America/Anchorage", "America/Adak"}},
    {"AZ", {"America/Phoenix", MT}},  // the Navajo Nation keeps daylight saving time
    {"AR", {CT}},
    {"CA", {PT}},
    {"CO", {MT}},
    {"CT", {ET}},
    {"DE", {ET}},
    {"DC", {ET}},
    {"FL", {ET, CT}},  // the panhandle west of the Apalachicola is Central
    {"GA", {ET}},
    {"HI", {"Pacific/Honolulu"}},
    {"ID", {"America/Boise", PT}},
    {"IL", {CT}},
    {"IN", {"America/Indiana/Indianapolis", CT}},
    {"IA", {CT}},
    {"KS", {CT, MT}},
    {"KY", {ET, CT}},
    {"LA", {CT}},
    {"ME", {ET}},
    {"MD", {ET}},
    {"MA", {ET}},
    {"MI", {"America/Detroit", "America/Menominee"}},
    {"MN", {CT}},
    {"MS", {CT}},
    {"MO", {CT}},
    {"MT", {MT}},
    {"NE", {CT, MT}},
    {"NV", {PT}},
    {"NH", {ET}},
    {"NJ", {ET}},
    {"NM", {MT}},
    {"NY", {ET}},
    {"NC", {ET}},
    {"ND", {CT, MT}},
    {"OH", {ET}},
    {"OK", {CT}},
    {"OR", {PT, "America/Boise"}},
    {"PA", {ET}},
    {"RI", {ET}},
    {"SC", {ET}},
    {"SD", {CT, MT}},
    {"TN", {CT, ET}},
    {"TX", {CT, MT}},  // El Paso and Hudspeth counties are Mountain
    {"UT", {MT}},
    {"VT", {ET}},
    {"VA", {ET}},
    {"WA", {PT}},
    {"WV", {ET}},
    {"WI", {CT}},
    {"WY", {MT}},
    {"PR", {"America/Puerto_Rico"}},
    {"VI", {"America/St_Thomas"}},
    {"GU", {"Pacific/Guam"}},
    {"AS", {"Pacific/Pago_Pago"}},
    {"MP", {"Pacific/Saipan"}},
};
const int kStateZoneCount = sizeof kStateZones / sizeof kStateZones[0];

namespace {

struct Zip3Range {
  int first, last;
  const char* state;
};

// USPS three-digit ZIP prefixes by state; prefixes not listed (unused, or
// military APO/FPO: 090-099, 340, 962-966) have no state.
constexpr Zip3Range kZip3Ranges[] = {
    {5, 5, "NY"},     {6, 7, "PR"},     {8, 8, "VI"},     {9, 9, "PR"},     {10, 27, "MA"},
    {28, 29, "RI"},   {30, 38, "NH"},   {39, 49, "ME"},   {50, 54, "VT"},   {55, 55, "MA"},
    {56, 59, "VT"},   {60, 69, "CT"},   {70, 89, "NJ"},   {100, 149, "NY"}, {150, 196, "PA"},
    {197, 199, "DE"}, {200, 200, "DC"}, {201, 201, "VA"}, {202, 205, "DC"}, {206, 219, "MD"},
    {220, 246, "VA"}, {247, 268, "WV"}, {270, 289, "NC"}, {290, 299, "SC"}, {300, 319, "GA"},
    {320, 339, "FL"}, {341, 349, "FL"}, {350, 369, "AL"}, {370, 385, "TN"}, {386, 397, "MS"},
    {398, 399, "GA"}, {400, 427, "KY"}, {430, 459, "OH"}, {460, 479, "IN"}, {480, 499, "MI"},
    {500, 528, "IA"}, {530, 549, "WI"}, {550, 567, "MN"}, {569, 569, "DC"}, {570, 577, "SD"},
    {580, 588, "ND"}, {590, 599, "MT"}, {600, 629, "IL"}, {630, 658, "MO"}, {660, 679, "KS"},
    {680, 693, "NE"}, {700, 714, "LA"}, {716, 729, "AR"}, {730, 731, "OK"}, {733, 733, "TX"},
    {734, 749, "OK"}, {750, 799, "TX"}, {800, 816, "CO"}, {820, 831, "WY"}, {832, 838, "ID"},
    {840, 847, "UT"}, {850, 865, "AZ"}, {870, 884, "NM"}, {885, 885, "TX"}, {889, 898, "NV"},
    {900, 961, "CA"}, {967, 968, "HI"}, {969, 969, "GU"}, {970, 979, "OR"}, {980, 994, "WA"},
    {995, 999, "AK"},
};

struct Zip3Table {
  std::array<const char*, 1000> state{};
  Zip3Table() {
    for (const auto& r : kZip3Ranges)
      for (int p = r.first; p <= r.last; ++p) state[p] = r.state;
  }
};

}  // namespace

std::string_view zip3_state(int zip3) {
  static const Zip3Table table;
  if (zip3 < 0 || zip3 > 999 || table.state[zip3] == nullptr) return {};
  return table.state[zip3];
}

}  // namespace pgdialer::us_zones
