#include "phone_digit_dfa.hpp"

#include "phone_metadata_rules.hpp"

#include <re2/re2.h>

#include <algorithm>
#include <array>
#include <map>
#include <memory>
#include <tuple>
#include <unordered_map>
#include <utility>

namespace pgdialer::phone_fast {
namespace {

using Mask = std::uint16_t;  // a set of digits: bit d for digit d
constexpr Mask kAnyDigit = 0x3ff;
constexpr int kMaxRepeat = 32;  // longer bounded repeats never occur in phone metadata

// ---- a parser for the regex subset of libphonenumber's digit patterns -------

struct Node {
  enum class Kind { digits, concat, alternation, repeat } kind;
  Mask mask = 0;                               // digits
  std::vector<std::unique_ptr<Node>> members;  // concat, alternation; repeat: one
  int min = 0, max = 0;                        // repeat; max < 0: unbounded
};

class Parser {
 public:
  explicit Parser(std::string_view pattern) : s_(pattern) {}

  // nullptr when the pattern uses syntax outside the subset.
  std::unique_ptr<Node> parse() {
    std::unique_ptr<Node> node = alternation();
    if (!node || pos_ != s_.size()) return nullptr;
    return node;
  }

 private:
  bool at_end() const { return pos_ >= s_.size(); }
  char peek() const { return s_[pos_]; }

  std::unique_ptr<Node> alternation() {
    auto alt = std::make_unique<Node>(Node{Node::Kind::alternation});
    for (;;) {
      std::unique_ptr<Node> branch = concat();
      if (!branch) return nullptr;
      alt->members.push_back(std::move(branch));
      if (at_end() || peek() != '|') break;
      ++pos_;
    }
    return alt;
  }

  std::unique_ptr<Node> concat() {
    auto seq = std::make_unique<Node>(Node{Node::Kind::concat});
    while (!at_end() && peek() != '|' && peek() != ')') {
      std::unique_ptr<Node> item = repeated();
      if (!item) return nullptr;
      seq->members.push_back(std::move(item));
    }
    return seq;
  }

  std::unique_ptr<Node> repeated() {
    std::unique_ptr<Node> item = atom();
    while (item && !at_end()) {
      int min = 0, max = 0;
      const char c = peek();
      if (c == '?') {
        min = 0, max = 1;
        ++pos_;
      } else if (c == '*') {
        min = 0, max = -1;
        ++pos_;
      } else if (c == '+') {
        min = 1, max = -1;
        ++pos_;
      } else if (c == '{') {
        if (!counts(&min, &max)) return nullptr;
      } else {
        break;
      }
      // A lazy or possessive mark changes which match is found, not whether.
      if (!at_end() && (peek() == '?' || peek() == '+')) ++pos_;
      auto repeat = std::make_unique<Node>(Node{Node::Kind::repeat});
      repeat->min = min;
      repeat->max = max;
      repeat->members.push_back(std::move(item));
      item = std::move(repeat);
    }
    return item;
  }

  // "{n}", "{n,}" or "{n,m}" at pos_.
  bool counts(int* min, int* max) {
    ++pos_;
    if (!number(min)) return false;
    *max = *min;
    if (!at_end() && peek() == ',') {
      ++pos_;
      if (!at_end() && peek() == '}') {
        *max = -1;
      } else if (!number(max) || *max < *min) {
        return false;
      }
    }
    if (at_end() || peek() != '}') return false;
    ++pos_;
    return *min <= kMaxRepeat && *max <= kMaxRepeat;
  }

  bool number(int* out) {
    int n = 0, digits = 0;
    while (!at_end() && peek() >= '0' && peek() <= '9' && digits < 4) {
      n = n * 10 + (peek() - '0');
      ++pos_, ++digits;
    }
    *out = n;
    return digits > 0;
  }

  std::unique_ptr<Node> digits(Mask mask) {
    auto node = std::make_unique<Node>(Node{Node::Kind::digits});
    node->mask = mask;
    return node;
  }

  std::unique_ptr<Node> atom() {
    const char c = peek();
    if (c >= '0' && c <= '9') {
      ++pos_;
      return digits(static_cast<Mask>(1u << (c - '0')));
    }
    if (c == '\\') {
      if (pos_ + 1 >= s_.size() || s_[pos_ + 1] != 'd') return nullptr;
      pos_ += 2;
      return digits(kAnyDigit);
    }
    if (c == '[') return char_class();
    if (c == '(') {
      ++pos_;
      if (s_.substr(pos_, 2) == "?:")
        pos_ += 2;
      else if (!at_end() && peek() == '?')
        return nullptr;  // lookaround, flags, names: not here
      std::unique_ptr<Node> inner = alternation();
      if (!inner || at_end() || peek() != ')') return nullptr;
      ++pos_;
      return inner;
    }
    return nullptr;  // '.', anchors, letters, other escapes: outside the subset
  }

  std::unique_ptr<Node> char_class() {
    ++pos_;
    bool negated = false;
    if (!at_end() && peek() == '^') {
      negated = true;
      ++pos_;
    }
    Mask mask = 0;
    bool first = true;
    while (!at_end() && (peek() != ']' || first)) {
      first = false;
      const char c = peek();
      if (c == '\\') {
        if (pos_ + 1 >= s_.size() || s_[pos_ + 1] != 'd') return nullptr;
        pos_ += 2;
        mask |= kAnyDigit;
        continue;
      }
      if (c < '0' || c > '9') return nullptr;
      ++pos_;
      char high = c;
      if (pos_ + 1 < s_.size() && peek() == '-' && s_[pos_ + 1] != ']') {
        high = s_[pos_ + 1];
        if (high < c || high > '9') return nullptr;
        pos_ += 2;
      }
      for (char d = c; d <= high; ++d) mask |= static_cast<Mask>(1u << (d - '0'));
    }
    if (at_end()) return nullptr;
    ++pos_;  // ']'
    // Only digits are ever matched, so a negated class is its complement in them.
    return digits(negated ? static_cast<Mask>(~mask & kAnyDigit) : mask);
  }

  std::string_view s_;
  std::size_t pos_ = 0;
};

// ---- Thompson NFA -------------------------------------------------------------

struct Nfa {
  struct State {
    Mask mask = 0;  // digits leading to `next`
    int next = -1;
    std::vector<int> epsilon;
  };
  std::vector<State> states;
  int start = -1, accept = -1;

  int add() {
    states.emplace_back();
    return static_cast<int>(states.size()) - 1;
  }

  struct Fragment {
    int start, end;  // `end` has no outgoing transition yet
  };

  Fragment compile(const Node& node) {
    switch (node.kind) {
      case Node::Kind::digits: {
        const int s = add(), e = add();
        states[s].mask = node.mask;
        states[s].next = e;
        return {s, e};
      }
      case Node::Kind::concat: {
        const int s = add();
        int end = s;
        for (const auto& member : node.members) {
          const Fragment f = compile(*member);
          states[end].epsilon.push_back(f.start);
          end = f.end;
        }
        return {s, end};
      }
      case Node::Kind::alternation: {
        const int s = add(), e = add();
        for (const auto& member : node.members) {
          const Fragment f = compile(*member);
          states[s].epsilon.push_back(f.start);
          states[f.end].epsilon.push_back(e);
        }
        return {s, e};
      }
      case Node::Kind::repeat: {
        const Node& inner = *node.members.front();
        const int s = add();
        int end = s;
        for (int i = 0; i < node.min; ++i) {
          const Fragment f = compile(inner);
          states[end].epsilon.push_back(f.start);
          end = f.end;
        }
        if (node.max < 0) {  // a loop
          const Fragment f = compile(inner);
          const int e = add();
          states[end].epsilon.push_back(f.start);
          states[end].epsilon.push_back(e);
          states[f.end].epsilon.push_back(f.start);
          states[f.end].epsilon.push_back(e);
          return {s, e};
        }
        const int e = add();
        for (int i = node.min; i < node.max; ++i) {  // optional copies
          states[end].epsilon.push_back(e);
          const Fragment f = compile(inner);
          states[end].epsilon.push_back(f.start);
          end = f.end;
        }
        states[end].epsilon.push_back(e);
        return {s, e};
      }
    }
    return {add(), add()};
  }

  static std::optional<Nfa> from_pattern(std::string_view pattern) {
    std::unique_ptr<Node> ast = Parser(pattern).parse();
    if (!ast) return std::nullopt;
    Nfa nfa;
    const Fragment f = nfa.compile(*ast);
    nfa.start = f.start;
    nfa.accept = f.end;
    return nfa;
  }

  // The states reachable from `set` by epsilon moves, sorted.
  std::vector<int> closure(std::vector<int> set) const {
    std::vector<bool> seen(states.size());
    std::vector<int> stack = set, out;
    while (!stack.empty()) {
      const int s = stack.back();
      stack.pop_back();
      if (seen[s]) continue;
      seen[s] = true;
      out.push_back(s);
      for (const int t : states[s].epsilon) stack.push_back(t);
    }
    std::sort(out.begin(), out.end());
    return out;
  }

  std::vector<int> step(const std::vector<int>& set, int digit) const {
    std::vector<int> moved;
    for (const int s : set) {
      if (states[s].next >= 0 && (states[s].mask >> digit) & 1) moved.push_back(states[s].next);
    }
    return closure(std::move(moved));
  }

  bool accepts(const std::vector<int>& set) const {
    return std::binary_search(set.begin(), set.end(), accept);
  }
};

// ---- decision diagrams over the ten digit positions ---------------------------

// A node is a function of the digits from its level on: ten children, one per
// digit at that level. kFalse and kTrue are the constant functions; a node
// whose children are one constant is that constant, so a diagram stops as
// soon as the answer no longer depends on the digits left.
class Diagrams {
 public:
  static constexpr std::int32_t kFalse = -1, kTrue = -2;
  using Children = std::array<std::int32_t, 10>;

  std::int32_t node(int level, const Children& children) {
    bool constant = children[0] < 0;
    for (const std::int32_t c : children) constant = constant && c == children[0];
    if (constant) return children[0];
    const auto key = std::make_pair(level, children);
    if (const auto it = unique_.find(key); it != unique_.end()) return it->second;
    const auto id = static_cast<std::int32_t>(nodes_.size());
    nodes_.push_back({level, children});
    unique_.emplace(key, id);
    return id;
  }

  const Children& children(std::int32_t id) const { return nodes_[id].children; }
  int level(std::int32_t id) const { return nodes_[id].level; }

  // The ten-digit strings the NFA accepts: all of it (full match) or a
  // prefix of it (prefix match, as RE2's ANCHOR_START).
  std::int32_t from_nfa(const Nfa& nfa, bool prefix) {
    std::map<std::pair<int, std::vector<int>>, std::int32_t> memo;
    return from_nfa(nfa, prefix, 0, nfa.closure({nfa.start}), memo);
  }

  std::int32_t negate(std::int32_t a) {
    if (a == kFalse) return kTrue;
    if (a == kTrue) return kFalse;
    if (const auto it = negated_.find(a); it != negated_.end()) return it->second;
    Children c;
    for (int d = 0; d < 10; ++d) c[d] = negate(children(a)[d]);
    const std::int32_t result = node(level(a), c);
    negated_.emplace(a, result);
    return result;
  }

  std::int32_t both(std::int32_t a, std::int32_t b) { return apply(false, a, b); }
  std::int32_t either(std::int32_t a, std::int32_t b) { return apply(true, a, b); }

 private:
  struct Entry {
    int level;
    Children children;
  };

  std::int32_t from_nfa(const Nfa& nfa, bool prefix, int level, const std::vector<int>& set,
                        std::map<std::pair<int, std::vector<int>>, std::int32_t>& memo) {
    if (set.empty()) return kFalse;
    if (prefix && nfa.accepts(set)) return kTrue;
    if (level == static_cast<int>(NanpDigitDfa::kDigits)) return nfa.accepts(set) ? kTrue : kFalse;
    auto key = std::make_pair(level, set);
    if (const auto it = memo.find(key); it != memo.end()) return it->second;
    Children c;
    for (int d = 0; d < 10; ++d) c[d] = from_nfa(nfa, prefix, level + 1, nfa.step(set, d), memo);
    const std::int32_t result = node(level, c);
    memo.emplace(std::move(key), result);
    return result;
  }

  // AND (or_ false) or OR (or_ true) of two diagrams of the same level.
  std::int32_t apply(bool or_, std::int32_t a, std::int32_t b) {
    const std::int32_t absorbing = or_ ? kTrue : kFalse, neutral = or_ ? kFalse : kTrue;
    if (a == absorbing || b == absorbing) return absorbing;
    if (a == neutral) return b;
    if (b == neutral) return a;
    if (a == b) return a;
    if (a > b) std::swap(a, b);
    const auto key = std::make_tuple(or_, a, b);
    if (const auto it = applied_.find(key); it != applied_.end()) return it->second;
    Children c;
    for (int d = 0; d < 10; ++d) c[d] = apply(or_, children(a)[d], children(b)[d]);
    const std::int32_t result = node(level(a), c);
    applied_.emplace(key, result);
    return result;
  }

  std::vector<Entry> nodes_;
  std::map<std::pair<int, Children>, std::int32_t> unique_;
  std::unordered_map<std::int32_t, std::int32_t> negated_;
  std::map<std::tuple<bool, std::int32_t, std::int32_t>, std::int32_t> applied_;
};

std::optional<std::int32_t> diagram(Diagrams& diagrams, const std::string& pattern, bool prefix) {
  const std::optional<Nfa> nfa = Nfa::from_pattern(pattern);
  if (!nfa) return std::nullopt;
  return diagrams.from_nfa(*nfa, prefix);
}

}  // namespace

std::optional<NanpDigitDfa> NanpDigitDfa::build(const std::vector<RegionPatterns>& regions) {
  static_assert(Diagrams::kFalse == kFalse && Diagrams::kTrue == kTrue);
  if (regions.empty()) return std::nullopt;
  Diagrams diagrams;
  // is_valid's walk, from the last region back to the first: the first
  // region (in libphonenumber's order) that claims the number by its leading
  // digits decides; one without leading digits accepts it if it gives the
  // number a known type, else the walk goes on.
  std::int32_t walk = kFalse;
  for (auto region = regions.rbegin(); region != regions.rend(); ++region) {
    std::int32_t known = kFalse;
    if (region->admits_ten && !region->general.empty() && !region->any_type.empty()) {
      const std::optional<std::int32_t> general = diagram(diagrams, region->general, false);
      const std::optional<std::int32_t> any_type = diagram(diagrams, region->any_type, false);
      if (!general || !any_type) return std::nullopt;
      known = diagrams.both(*general, *any_type);
    }
    if (region->leading_digits) {
      const std::optional<std::int32_t> claims = diagram(diagrams, *region->leading_digits, true);
      if (!claims) return std::nullopt;
      walk = diagrams.either(diagrams.both(*claims, known), diagrams.both(diagrams.negate(*claims), walk));
    } else {
      walk = diagrams.either(known, walk);
    }
  }

  // Keep only the nodes reachable from the root, numbered from 0.
  NanpDigitDfa dfa;
  if (walk < 0) {
    dfa.root_ = walk;
    return dfa;
  }
  std::unordered_map<std::int32_t, std::int32_t> renumbered;
  std::vector<std::int32_t> order{walk};
  renumbered.emplace(walk, 0);
  for (std::size_t i = 0; i < order.size(); ++i) {
    for (const std::int32_t child : diagrams.children(order[i])) {
      if (child >= 0 && renumbered.emplace(child, static_cast<std::int32_t>(order.size())).second) {
        order.push_back(child);
      }
    }
  }
  dfa.root_ = 0;
  dfa.next_.resize(order.size() * 10);
  for (std::size_t i = 0; i < order.size(); ++i) {
    const Diagrams::Children& c = diagrams.children(order[i]);
    for (int d = 0; d < 10; ++d) dfa.next_[i * 10 + d] = c[d] < 0 ? c[d] : renumbered.at(c[d]);
  }
  return dfa;
}

const NanpDigitDfa* NanpDigitDfa::instance() {
  static const NanpDigitDfa* const dfa = []() -> const NanpDigitDfa* {
    const MetadataRules* rules = MetadataRules::instance();
    const CountryRules* country = rules ? rules->country(1) : nullptr;
    if (!country) return nullptr;
    std::vector<RegionPatterns> regions;
    for (const auto& region : country->regions) {
      RegionPatterns p;
      if (const re2::RE2* general = region->general_pattern()) p.general = general->pattern();
      if (const re2::RE2* any_type = region->any_type_for_length(kDigits)) p.any_type = any_type->pattern();
      if (const re2::RE2* leading = region->leading_digits_pattern()) p.leading_digits = leading->pattern();
      p.admits_ten = region->admits_length(kDigits);
      regions.push_back(std::move(p));
    }
    std::optional<NanpDigitDfa> built = build(regions);
    return built ? new NanpDigitDfa(std::move(*built)) : nullptr;  // lives for the whole process
  }();
  return dfa;
}

}  // namespace pgdialer::phone_fast
