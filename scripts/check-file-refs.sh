#!/usr/bin/env bash
# `make test` suite: comments and docs point only at files in the repository.
#
# Looks for file names and paths ending in .md .hpp .cpp .sql .sh .service
# in every Markdown file and in the comments of the sources (C++ // and /* */,
# SQL --, # in shell scripts, Makefile, CMakeLists.txt and the systemd unit),
# and fails naming each one that no file of the repository matches:
#   - a bare name (README.md) must be the name of some file;
#   - a path (docs/daemon.md, src/main.cpp) must be a file's path or the
#     end of one, or resolve to one relative to the file that mentions it
#     (Markdown links such as ../README.md);
#   - a path that leaves the repository (../../shared/...) never matches.
# "Files of the repository" are `git ls-files` plus new files not ignored yet,
# and the generated files listed in GENERATED. Absolute paths (/etc/...,
# /usr/share/...) name installed files and are not checked. Test output
# (expected/*.out) is not read: it echoes the comments of sql/*.sql.
#
#   scripts/check-file-refs.sh          prints each dangling reference as FILE:LINE
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
cd "$repo"

# Built from tracked files, so they exist only after a build.
GENERATED='extension/pgdialer--1.1.sql extension/pgdialer--1.0--1.1.sql'

files=$(git ls-files --cached --others --exclude-standard | sort -u)
# shellcheck disable=SC2086  # GENERATED is a list
printf '%s\n' $files $GENERATED | perl -e '
  use strict; use warnings;
  my (%path, %base);
  while (my $f = <STDIN>) { chomp $f; next if $f eq ""; $path{$f} = 1; (my $b = $f) =~ s{.*/}{}; $base{$b} = 1; }

  # Which part of a line is comment, by kind of file; "" for none.
  sub kind_of { my $f = shift;
    return "md" if $f =~ /\.md$/;
    return "cpp" if $f =~ /\.(cpp|hpp|h|cc)$/;
    return "sql" if $f =~ /\.sql$/;
    return "hash" if $f =~ /\.(sh|service|cmake)$/ || $f =~ m{(^|/)(Makefile|CMakeLists\.txt|\.gitignore)$} || $f eq ".ci/run";
    return ""; }

  sub resolve { my ($dir, $ref) = @_;  # a relative path from $dir, or undef when it leaves the repository
    my @parts = $dir eq "" ? () : split m{/}, $dir;
    for my $p (split m{/}, $ref) {
      next if $p eq "" || $p eq ".";
      if ($p eq "..") { return undef unless @parts; pop @parts; } else { push @parts, $p; }
    }
    return join "/", @parts; }

  sub exists_ref { my ($from, $ref) = @_;
    (my $dir = $from) =~ s{/?[^/]*$}{};
    if ($ref =~ m{^/}) { return $ref !~ m{^/work/|shared/spec/}; }  # installed files
    if ($ref !~ m{/}) { return exists $base{$ref}; }
    if ($ref =~ m{^\.\.?/}) { my $r = resolve($dir, $ref); return defined $r && exists $path{$r}; }
    return 1 if exists $path{$ref};
    my $r = resolve($dir, $ref);
    return 1 if defined $r && exists $path{$r};
    for my $p (keys %path) { return 1 if substr($p, -length($ref) - 1) eq "/$ref"; }
    return 0; }

  my ($refs, $bad, $read) = (0, 0, 0);
  for my $f (sort keys %path) {
    next if $f =~ m{^expected/} || !-f $f;
    my $kind = kind_of($f);
    next if $kind eq "";
    open(my $in, "<", $f) or die "$f: $!";
    $read++;
    my $in_block = 0;
    while (my $line = <$in>) {
      my $text = "";
      if ($kind eq "md") { $text = $line; }
      elsif ($kind eq "cpp") {
        my $rest = $line;
        while (length $rest) {
          if ($in_block) {
            if ($rest =~ s{^(.*?)\*/}{}s) { $text .= " $1"; $in_block = 0; } else { $text .= " $rest"; $rest = ""; }
          } elsif ($rest =~ s{^.*?(//|/\*)}{}s) {
            if ($1 eq "//") { $text .= " $rest"; $rest = ""; } else { $in_block = 1; }
          } else { $rest = ""; }
        }
      }
      elsif ($kind eq "sql") { $text = $1 if $line =~ /--(.*)$/; }
      elsif ($kind eq "hash") { $text = $1 if $line =~ /(?:^|\s)#(.*)$/; }
      next if $text eq "";
      my %seen;
      while ($text =~ m{(?<![\w./*<>{}\$%~:\@-])((?:(?:\.{1,2}/)+|/)?[\w.-]*\w(?:/[\w.-]+)*\.(?:md|hpp|cpp|sql|sh|service))(?![\w/-])}g) {
        my $ref = $1;
        next if $seen{$ref}++;
        $refs++;
        next if exists_ref($f, $ref);
        print "$f:$.: \"$ref\" names no file of the repository\n";
        $bad++;
      }
    }
    close $in;
  }
  if ($bad) { print "check-file-refs: $bad dangling reference(s) in comments and docs\n"; exit 1; }
  print "ok: $refs file references in the comments and docs of $read files all name files of the repository\n";
'
