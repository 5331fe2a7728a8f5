// E.164 normalisation benchmark: the plain libphonenumber loop
// (Parse + IsValidNumber + Format, i.e. to_e164_reference) against pgdialer's
// to_e164 (RE2 fast path + libphonenumber fallback), over the same generated
// inputs in the same run. Prints times and ratios and checks that both give
// identical output; it never passes or fails on time. Exit status is non-zero
// only when the outputs differ (or on bad arguments / I/O errors).
//
//   bench_e164 [--count N] [--dump FILE] [--reference-only | --fast-only]
//
// --dump FILE writes the inputs in PostgreSQL COPY text format, one per line:
//   raw <TAB> default region <TAB> expected E.164 (\N when not valid)
// so the SQL benchmark can load the same set and compare dialer.e164 with it.
#include "phone.hpp"
#include "phone_fast_e164.hpp"

#include <phonenumbers/phonenumberutil.h>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <map>
#include <optional>
#include <random>
#include <string>
#include <unordered_set>
#include <vector>

namespace {

using i18n::phonenumbers::PhoneNumber;
using i18n::phonenumbers::PhoneNumberUtil;
using Output = std::optional<std::string>;

// ---- inputs -------------------------------------------------------------------

struct Input {
  std::string raw;
  std::string region;  // default region passed along with raw
  std::string origin;  // "NANP", a foreign region code, or "garbage"
};

// Contact-list-like inputs: mostly North American numbers in the formats
// people type, numbers from a dozen other countries written locally and
// internationally, and a share of junk. Fixed seed, so every run (and the SQL
// benchmark, through --dump) sees the same set.
class InputGenerator {
 public:
  InputGenerator() : rng_(0x5eed'e164) { load_examples(); }

  Input next() {
    const std::uint64_t roll = below(1000);
    if (roll < 740) return nanp_number();
    if (roll < 950) return foreign_number();
    return invalid_input();
  }

 private:
  std::uint64_t below(std::uint64_t n) { return rng_() % n; }
  bool one_in(std::uint64_t n) { return below(n) == 0; }
  char digit() { return static_cast<char>('0' + below(10)); }
  std::string digits(std::size_t n) {
    std::string s;
    for (std::size_t i = 0; i < n; ++i) s += digit();
    return s;
  }
  template <typename T, std::size_t N>
  const T& pick(const T (&items)[N]) {
    return items[below(N)];
  }

  // ---- North America ----
  struct AreaCode {
    const char* digits;
    const char* region;
  };

  Input nanp_number() {
    static const AreaCode area_codes[] = {
        {"201", "US"}, {"202", "US"}, {"206", "US"}, {"212", "US"}, {"213", "US"}, {"214", "US"},
        {"215", "US"}, {"224", "US"}, {"240", "US"}, {"248", "US"}, {"267", "US"}, {"301", "US"},
        {"303", "US"}, {"305", "US"}, {"310", "US"}, {"312", "US"}, {"313", "US"}, {"323", "US"},
        {"347", "US"}, {"404", "US"}, {"408", "US"}, {"415", "US"}, {"425", "US"}, {"469", "US"},
        {"480", "US"}, {"503", "US"}, {"512", "US"}, {"602", "US"}, {"612", "US"}, {"617", "US"},
        {"646", "US"}, {"650", "US"}, {"702", "US"}, {"704", "US"}, {"713", "US"}, {"718", "US"},
        {"720", "US"}, {"773", "US"}, {"786", "US"}, {"801", "US"}, {"813", "US"}, {"818", "US"},
        {"832", "US"}, {"858", "US"}, {"904", "US"}, {"910", "US"}, {"917", "US"}, {"919", "US"},
        {"949", "US"}, {"972", "US"}, {"800", "US"}, {"888", "US"}, {"877", "US"}, {"416", "CA"},
        {"437", "CA"}, {"514", "CA"}, {"604", "CA"}, {"613", "CA"}, {"403", "CA"}, {"780", "CA"},
        {"902", "CA"}, {"876", "JM"}, {"787", "PR"}, {"242", "BS"}, {"246", "BB"}, {"868", "TT"},
        {"441", "BM"}, {"345", "KY"}, {"671", "GU"},
    };
    const AreaCode& area = pick(area_codes);
    // Exchanges do not start with 0 or 1; let a few do, as typos would.
    const std::string exchange =
        (one_in(50) ? std::string(1, digit()) : std::string(1, static_cast<char>('2' + below(8)))) +
        digits(2);
    std::string raw = format_nanp(area.digits, exchange, digits(4));
    static const char* const extension_labels[] = {" x", " ext. ", " ext ", " #"};
    if (one_in(40)) raw += pick(extension_labels) + digits(1 + below(4));
    // Most of the list is US-based; local numbers elsewhere sometimes carry
    // their own region.
    const bool own_region = std::string(area.region) != "US" && one_in(2);
    return {raw, own_region ? area.region : "US", "NANP"};
  }

  std::string format_nanp(const std::string& a, const std::string& e, const std::string& l) {
    switch (below(12)) {
      case 0:
      case 1: return "(" + a + ") " + e + "-" + l;
      case 2:
      case 3: return a + "-" + e + "-" + l;
      case 4: return a + "." + e + "." + l;
      case 5: return a + e + l;
      case 6: return "+1 " + a + "-" + e + "-" + l;
      case 7: return "+1 (" + a + ") " + e + "-" + l;
      case 8: return "+1" + a + e + l;
      case 9: return "1-" + a + "-" + e + "-" + l;
      case 10: return "1" + a + e + l;
      default: return a + " " + e + " " + l;
    }
  }

  // ---- other countries: libphonenumber's example numbers with new tails ----
  void load_examples() {
    const PhoneNumberUtil& util = *PhoneNumberUtil::GetInstance();
    for (const char* region : {"GB", "DE", "FR", "AU", "IN", "BR", "MX", "JP", "IT", "ES", "NL", "ZA"}) {
      for (const auto type : {PhoneNumberUtil::FIXED_LINE, PhoneNumberUtil::MOBILE}) {
        PhoneNumber number;
        if (util.GetExampleNumberForType(region, type, &number)) examples_.push_back({region, number});
      }
    }
  }

  Input foreign_number() {
    const PhoneNumberUtil& util = *PhoneNumberUtil::GetInstance();
    const auto& [region, example] = examples_[below(examples_.size())];
    PhoneNumber number = example;
    std::string nsn = std::to_string(number.national_number());
    const std::size_t keep = nsn.size() > 6 ? nsn.size() - 6 : 1;  // keep the area/mobile prefix
    for (std::size_t i = keep; i < nsn.size(); ++i) nsn[i] = digit();
    number.set_national_number(std::stoull(nsn));

    std::string formatted;
    switch (below(5)) {
      case 0:
      case 1: util.Format(number, PhoneNumberUtil::NATIONAL, &formatted); return {formatted, region, region};
      case 2:
      case 3:
        util.Format(number, PhoneNumberUtil::INTERNATIONAL, &formatted);
        return {formatted, "US", region};
      default: util.Format(number, PhoneNumberUtil::E164, &formatted); return {formatted, "US", region};
    }
  }

  // ---- junk: wrong lengths, impossible area codes, words ----
  Input invalid_input() {
    switch (below(6)) {
      case 0:  // area code starting with 0 or 1
        return {
            format_nanp(std::string(1, static_cast<char>('0' + below(2))) + digits(2), digits(3), digits(4)),
            "US", "NANP"};
      case 1:  // nine digits
        return {digits(3) + "-" + digits(3) + "-" + digits(3), "US", "NANP"};
      case 2:  // eleven digits without the leading 1, or twelve
        return {std::string(1, static_cast<char>('2' + below(8))) + digits(one_in(2) ? 10 : 11), "US",
                "NANP"};
      case 3:  // seven-digit local number without an area code
        return {digits(3) + "-" + digits(4), "US", "NANP"};
      case 4: {
        static const char* const words[] = {"n/a", "N/A",          "none",        "unknown",
                                            "TBD", "see notes",    "call office", "-",
                                            "0",   "000-000-0000", "no phone"};
        return {std::string(pick(words)) + (one_in(2) ? "" : " " + digits(below(3))), "US", "garbage"};
      }
      default: {  // a truncated foreign number
        static const char* const country_codes[] = {"44", "49", "33", "61"};
        return {"+" + std::string(pick(country_codes)) + " " + digits(2 + below(4)), "US", "garbage"};
      }
    }
  }

  std::mt19937_64 rng_;
  std::vector<std::pair<std::string, PhoneNumber>> examples_;
};

std::vector<Input> generate_distinct(std::size_t count) {
  InputGenerator generator;
  std::unordered_set<std::string> seen;
  std::vector<Input> inputs;
  inputs.reserve(count);
  while (inputs.size() < count) {
    Input input = generator.next();
    if (seen.insert(input.raw).second) inputs.push_back(std::move(input));
  }
  return inputs;
}

// ---- timing -------------------------------------------------------------------

using Normaliser = Output (*)(std::string_view, std::string_view);

struct Run {
  std::vector<Output> outputs;
  double seconds = 0;
};

Run time_loop(const std::vector<Input>& inputs, Normaliser normalise) {
  // Warm up first: libphonenumber's singleton and regex cache, the fast
  // path's lazily compiled countries. Neither side pays start-up in the loop.
  for (std::size_t i = 0; i < inputs.size() && i < 20000; ++i) normalise(inputs[i].raw, inputs[i].region);

  Run run;
  run.outputs.reserve(inputs.size());
  const auto start = std::chrono::steady_clock::now();
  for (const Input& input : inputs) run.outputs.push_back(normalise(input.raw, input.region));
  run.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return run;
}

Output reference(std::string_view raw, std::string_view region) {
  return pgdialer::to_e164_reference(raw, region);
}

Output fast(std::string_view raw, std::string_view region) { return pgdialer::to_e164(raw, region); }

// ---- reporting ----------------------------------------------------------------

void print_summary(const std::vector<Input>& inputs, const std::vector<Output>& outputs) {
  std::size_t nanp = 0;
  std::size_t invalid = 0;
  std::map<std::string, std::size_t> countries;
  for (std::size_t i = 0; i < inputs.size(); ++i) {
    const std::string& origin = inputs[i].origin;
    if (origin == "NANP")
      ++nanp;
    else if (origin != "garbage")
      ++countries[origin];
    if (!outputs[i]) ++invalid;
  }
  const double n = static_cast<double>(inputs.size());
  std::printf("e164: %zu numbers (%.1f%% NANP, %zu countries, %.1f%% invalid)\n", inputs.size(),
              100.0 * nanp / n, countries.size(), 100.0 * invalid / n);
}

void print_run(const char* label, const Run& run, std::size_t count, const std::string& ratio) {
  std::printf("  %-44s %6.2f s %7.2f us/number   %s\n", label, run.seconds,
              1e6 * run.seconds / static_cast<double>(count), ratio.c_str());
}

std::string speed_up(const Run& baseline, const Run& run) {
  char text[32];
  std::snprintf(text, sizeof text, "%.2fx faster", baseline.seconds / run.seconds);
  return text;
}

// How much of the set the fast path answered on its own (untimed).
void print_fast_path_share(const std::vector<Input>& inputs) {
  std::size_t answered = 0;
  for (const Input& input : inputs) {
    auto kind = pgdialer::phone_fast::answer(input.raw, pgdialer::canonical_region(input.region)).kind;
    if (kind != pgdialer::phone_fast::Answer::Kind::unsure) ++answered;
  }
  std::printf("  fast path answered %.1f%% of inputs; libphonenumber the rest\n",
              100.0 * answered / static_cast<double>(inputs.size()));
}

// Returns the number of differences; prints the first few.
std::size_t compare(const std::vector<Input>& inputs, const Run& a, const Run& b) {
  std::size_t differences = 0;
  for (std::size_t i = 0; i < inputs.size(); ++i) {
    if (a.outputs[i] == b.outputs[i]) continue;
    if (++differences <= 10) {
      std::printf("  DIFFERENT: \"%s\" in %s: libphonenumber=%s to_e164=%s\n", inputs[i].raw.c_str(),
                  inputs[i].region.c_str(), a.outputs[i].value_or("null").c_str(),
                  b.outputs[i].value_or("null").c_str());
    }
  }
  std::printf("  identical output: %zu / %zu\n", inputs.size() - differences, inputs.size());
  return differences;
}

// North American numbers as a CRM export types them, "(NPA) NXX-XXXX" with
// NPA and NXX drawn from 200-999 (bench/messy_bench.sql's phones): to_e164's
// cost for the ones that normalize and for the ones that do not, apart
// (best of 3 loops). The split comes from the plain libphonenumber path, and
// to_e164 must agree with it on each.
std::size_t print_nanp_split() {
  std::mt19937_64 rng(0x3e55'7001);
  std::vector<std::string> valid, invalid;
  for (int i = 0; i < 200000; ++i) {
    char raw[32];
    std::snprintf(raw, sizeof raw, "(%d) %d-%04d", 200 + static_cast<int>(rng() % 800),
                  200 + static_cast<int>(rng() % 800), static_cast<int>(rng() % 10000));
    (pgdialer::to_e164_reference(raw, "US") ? valid : invalid).emplace_back(raw);
  }
  std::size_t differences = 0;
  for (const auto* set : {&valid, &invalid}) {
    double best = 1e9;
    for (int round = 0; round < 3; ++round) {
      std::size_t normalized = 0;
      const auto start = std::chrono::steady_clock::now();
      for (const std::string& raw : *set) normalized += fast(raw, "US").has_value();
      best = std::min(best, std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
      if (normalized != (set == &valid ? set->size() : 0)) ++differences;
    }
    std::printf("  NANP \"(NPA) NXX-XXXX\", %-8s %6zu numbers %7.3f us/number%s\n",
                set == &valid ? "valid:" : "invalid:", set->size(),
                1e6 * best / static_cast<double>(set->size()),
                differences ? "   DIFFERENT from libphonenumber" : "");
  }
  return differences;
}

// ---- --dump -------------------------------------------------------------------

std::string copy_text_escape(const std::string& value) {
  std::string out;
  for (const char c : value) {
    switch (c) {
      case '\\': out += "\\\\"; break;
      case '\t': out += "\\t"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      default: out += c;
    }
  }
  return out;
}

bool dump(const std::string& path, const std::vector<Input>& inputs, const std::vector<Output>& outputs) {
  std::ofstream file(path);
  for (std::size_t i = 0; i < inputs.size(); ++i) {
    file << copy_text_escape(inputs[i].raw) << '\t' << inputs[i].region << '\t'
         << (outputs[i] ? *outputs[i] : "\\N") << '\n';
  }
  return static_cast<bool>(file);
}

// ---- main -------------------------------------------------------------------

struct Options {
  std::size_t count = 1000000;
  std::string dump_path;
  bool run_reference = true;
  bool run_fast = true;
};

std::optional<Options> parse_options(int argc, char** argv) {
  Options options;
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    const bool has_value = i + 1 < argc;
    if (arg == "--count" && has_value) {
      options.count = std::strtoull(argv[++i], nullptr, 10);
      if (options.count == 0) return std::nullopt;
    } else if (arg == "--dump" && has_value) {
      options.dump_path = argv[++i];
    } else if (arg == "--reference-only") {
      options.run_fast = false;
    } else if (arg == "--fast-only") {
      options.run_reference = false;
    } else {
      return std::nullopt;
    }
  }
  if (!options.run_reference && !options.run_fast) return std::nullopt;
  return options;
}

}  // namespace

int main(int argc, char** argv) {
  const std::optional<Options> options = parse_options(argc, argv);
  if (!options) {
    std::fprintf(stderr,
                 "usage: %s [--count N] [--dump FILE] [--reference-only | --fast-only]\n"
                 "  --dump FILE  write raw<TAB>region<TAB>expected-e164 lines (COPY text format)\n",
                 argv[0]);
    return 2;
  }

  const std::vector<Input> inputs = generate_distinct(options->count);
  std::optional<Run> baseline;
  std::optional<Run> candidate;
  if (options->run_reference) baseline = time_loop(inputs, reference);
  if (options->run_fast) candidate = time_loop(inputs, fast);

  const Run& any = baseline ? *baseline : *candidate;
  print_summary(inputs, any.outputs);
  if (baseline) print_run("libphonenumber Parse+IsValidNumber+Format", *baseline, inputs.size(), "1.00x");
  if (candidate) {
    print_run("pgdialer to_e164 (fast path + fallback)", *candidate, inputs.size(),
              baseline ? speed_up(*baseline, *candidate) : "");
    print_fast_path_share(inputs);
  }

  std::size_t differences = 0;
  if (baseline && candidate) differences = compare(inputs, *baseline, *candidate);
  if (candidate) differences += print_nanp_split();

  if (!options->dump_path.empty()) {
    if (!dump(options->dump_path, inputs, any.outputs)) {
      std::fprintf(stderr, "cannot write %s\n", options->dump_path.c_str());
      return 2;
    }
    std::printf("  inputs written to %s\n", options->dump_path.c_str());
  }
  return differences == 0 ? 0 : 1;
}
