#include <chrono>
#include <thread>
using namespace std::chrono_literals;

TEST(Worker, Sleeps) {
    std::this_thread::sleep_for(std::chrono::milliseconds(100)); // expect: cpp/sleep-for
    std::this_thread::sleep_for(50ms); // expect: cpp/sleep-for
    std::this_thread::sleep_until(deadline); // expect: cpp/sleep-for
    ::usleep(100); // expect: c/sleep
    std::this_thread::sleep_for(0ms); // near-miss: a yield
    std::this_thread::yield(); // near-miss
    clock.sleep_for(10ms); // near-miss: a fake clock's method
}
