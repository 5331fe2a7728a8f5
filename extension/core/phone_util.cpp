#include "phone_util.hpp"

#include <phonenumbers/logger.h>

namespace pgdialer::phone_detail {

using i18n::phonenumbers::NullLogger;
using i18n::phonenumbers::PhoneNumberUtil;

const PhoneNumberUtil& phone_number_util() {
  // A function-local static: C++11 guarantees one initialisation even when
  // several daemon threads make their first call at the same time.
  static const PhoneNumberUtil* const util = [] {
    PhoneNumberUtil* instance = PhoneNumberUtil::GetInstance();
    instance->SetLogger(new NullLogger());  // takes ownership
    return instance;
  }();
  return *util;
}

}  // namespace pgdialer::phone_detail
